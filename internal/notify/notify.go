// Package notify keeps people's in-app notifications: what happened to
// their orders and to their cooperative's sub-orders. Other capabilities
// post notes (through the worker, from the outbox); a person lists theirs
// and marks them read.
package notify

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// OpenAPI is notify's part of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Note is a notification to one person.
type Note struct {
	UserID uuid.UUID `json:"-"`
	// Source names what caused it, so that the same cause notifies a
	// person once (e.g. "outbox:123").
	Source string `json:"-"`
	Title  string `json:"title"`
	Body   string `json:"body"`
	Link   string `json:"link"`
}

// Notification is a note as its reader sees it.
type Notification struct {
	ID        int64      `json:"id" db:"id"`
	Title     string     `json:"title" db:"title"`
	Body      string     `json:"body" db:"body"`
	Link      string     `json:"link" db:"link"`
	ReadAt    *time.Time `json:"read_at" db:"read_at"`
	CreatedAt time.Time  `json:"created_at" db:"created_at"`
}

// Page is a page of notifications, newest first.
type Page struct {
	Items      []Notification `json:"items"`
	Unread     int            `json:"unread"`
	NextCursor string         `json:"next_cursor"`
}

// Service stores notifications.
type Service struct{ db *sqlx.DB }

// NewService returns the service.
func NewService(d *sqlx.DB) *Service { return &Service{db: d} }

// Post stores notes; a note whose (user, source) exists already is skipped.
func (s *Service) Post(ctx context.Context, ext sqlx.ExtContext, notes []Note) error {
	if len(notes) == 0 {
		return nil
	}
	const q = `
INSERT INTO notifications (user_id, source, title, body, link)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
ON CONFLICT (user_id, source) DO NOTHING`
	users := make([]uuid.UUID, len(notes))
	sources, titles, bodies, links := make([]string, len(notes)), make([]string, len(notes)), make([]string, len(notes)), make([]string, len(notes))
	for i, n := range notes {
		users[i], sources[i], titles[i], bodies[i], links[i] = n.UserID, n.Source, n.Title, n.Body, n.Link
	}
	if _, err := ext.ExecContext(ctx, q, pq.Array(users), pq.Array(sources), pq.Array(titles), pq.Array(bodies), pq.Array(links)); err != nil {
		return fmt.Errorf("notify: post: %w", err)
	}
	return nil
}

// List returns a person's notifications, newest first, with the count of
// unread ones.
func (s *Service) List(ctx context.Context, user uuid.UUID, cursor string, limit int) (Page, error) {
	const q = `
SELECT id, title, body, link, read_at, created_at
FROM notifications
WHERE user_id = $1
  AND ($2 = 0 OR id < $2)
ORDER BY id DESC
LIMIT $3`
	const unread = `
SELECT count(*)
FROM notifications
WHERE user_id = $1
  AND read_at IS NULL`
	var after int64
	if cursor != "" {
		if _, err := fmt.Sscan(cursor, &after); err != nil || after <= 0 {
			return Page{}, &web.ValidationError{Fields: []web.FieldError{{Field: "cursor", Message: "con trỏ trang không hợp lệ"}}}
		}
	}
	limit = web.PageSize(limit)
	p := Page{Items: []Notification{}}
	if err := sqlx.SelectContext(ctx, s.db, &p.Items, q, user, after, limit+1); err != nil {
		return Page{}, fmt.Errorf("notify: list: %w", err)
	}
	if len(p.Items) > limit {
		p.Items = p.Items[:limit]
		p.NextCursor = fmt.Sprint(p.Items[limit-1].ID)
	}
	if err := sqlx.GetContext(ctx, s.db, &p.Unread, unread, user); err != nil {
		return Page{}, fmt.Errorf("notify: unread: %w", err)
	}
	return p, nil
}

// MarkRead marks a person's notifications read: those listed, or all.
func (s *Service) MarkRead(ctx context.Context, user uuid.UUID, ids []int64, all bool) error {
	if !all && len(ids) == 0 {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "ids", Message: "cần danh sách thông báo, hoặc all: true"}}}
	}
	if len(ids) > web.MaxPageSize {
		return &web.ValidationError{Fields: []web.FieldError{{Field: "ids", Message: fmt.Sprintf("tối đa %d thông báo một lần", web.MaxPageSize)}}}
	}
	const q = `
UPDATE notifications
SET read_at = now(), updated_at = now()
WHERE user_id = $1
  AND read_at IS NULL
  AND ($2 OR id = ANY($3))`
	if _, err := s.db.ExecContext(ctx, q, user, all, pq.Array(ids)); err != nil {
		return fmt.Errorf("notify: mark read: %w", err)
	}
	return nil
}

// Routes registers the endpoints on r (/api/v1).
//
//	GET  /notifications        signed in: their own, newest first
//	POST /notifications/read   signed in: mark theirs read ({"ids": […]} or {"all": true})
func Routes(r fiber.Router, s *Service) {
	r.Get("/notifications", auth.RequireUser(), func(c *fiber.Ctx) error {
		var v web.ValidationError
		limit := web.PageLimit(c, &v)
		if err := v.Err(); err != nil {
			return err
		}
		p, err := s.List(c.UserContext(), auth.Current(c).UserID, c.Query("cursor"), limit)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(p)
	})
	r.Post("/notifications/read", auth.RequireUser(), func(c *fiber.Ctx) error {
		var in struct {
			IDs []int64 `json:"ids"`
			All bool    `json:"all"`
		}
		if err := web.DecodeJSON(c, &in); err != nil {
			return err
		}
		if err := s.MarkRead(c.UserContext(), auth.Current(c).UserID, in.IDs, in.All); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	})
}
