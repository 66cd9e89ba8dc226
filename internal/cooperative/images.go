package cooperative

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
)

// ImageKind names a cooperative's picture: its logo or its cover.
type ImageKind string

// The pictures of a cooperative. The logo is kept 400 px wide (the
// storefront shows it at 96 px, lists smaller, link previews at up to
// 400); the cover 1,200 px wide, the storefront's widest.
const (
	KindLogo  ImageKind = "logo"
	KindCover ImageKind = "cover"
)

// ActionImage is the audit action of an uploaded or removed logo or cover.
const ActionImage = "cooperative.image"

// ImageFile is one encoded picture, ready to store.
type ImageFile struct {
	Data          []byte
	ContentType   string
	Ext           string // ".jpg" or ".png"
	Width, Height int
}

// Pictures checks uploads and makes their files. The catalog's image
// pipeline implements it (through internal/app): the same limits, the same
// memory budget for decoding, metadata (EXIF position, camera) dropped by
// re-encoding.
type Pictures interface {
	// Process checks data and returns it 400 px and 1,200 px wide (never
	// enlarged). Its errors are the catalog's image errors, which
	// internal/app maps to statuses.
	Process(ctx context.Context, data []byte) (small, large ImageFile, err error)
	// MaxBytes is the largest file accepted.
	MaxBytes() int
}

// Media keeps files; internal/platform/storage implements it.
type Media interface {
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	Delete(ctx context.Context, key string) error
	URL(key string) string
}

// Images keeps cooperatives' logos and covers.
type Images struct {
	coops    *Service
	media    Media
	pictures Pictures
	log      *slog.Logger // files that could not be removed
}

// NewImages returns the logo and cover uploads of coops' cooperatives.
func NewImages(coops *Service, media Media, pictures Pictures, log *slog.Logger) *Images {
	return &Images{coops: coops, media: media, pictures: pictures, log: log}
}

// MaxBytes is the largest file accepted.
func (m *Images) MaxBytes() int { return m.pictures.MaxBytes() }

// editable returns a cooperative the actor may change the pictures of: its
// managers and administrators.
func (m *Images) editable(ctx context.Context, by Actor, idOrSlug string) (Cooperative, error) {
	c, err := m.coops.store.Get(ctx, m.coops.db, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	if !by.Principal.MemberOf(c.ID, auth.RoleCoopManager) && !by.Principal.Has(auth.RoleAdmin) {
		return Cooperative{}, refuse(by.Principal, c.ID)
	}
	return c, nil
}

// Set makes data the cooperative's logo or cover. Who may is checked
// before the costly decoding; the file is written in the transaction that
// records it and removed again when that transaction fails, and the file
// it replaces is removed once the change is committed.
func (m *Images) Set(ctx context.Context, by Actor, idOrSlug string, kind ImageKind, data []byte) (Cooperative, error) {
	c, err := m.editable(ctx, by, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	small, large, err := m.pictures.Process(ctx, data)
	if err != nil {
		return Cooperative{}, err
	}
	file := large
	if kind == KindLogo {
		file = small
	}
	id, err := uuid.NewV7() // chosen once: a retried transaction writes the same key
	if err != nil {
		return Cooperative{}, err
	}
	key := fmt.Sprintf("cooperatives/%s/%s-%s%s", c.ID, id, kind, file.Ext)
	var old string
	written := false
	err = db.InTx(ctx, m.coops.db, func(tx *sqlx.Tx) error {
		if _, err := m.coops.store.Lock(ctx, tx, c.ID); err != nil {
			return err
		}
		if old, err = imageKey(ctx, tx, c.ID, kind); err != nil {
			return err
		}
		if !written {
			if err := m.media.Put(ctx, key, file.ContentType, bytes.NewReader(file.Data)); err != nil {
				return err
			}
			written = true
		}
		if err := putImage(ctx, tx, c.ID, kind, key, file, m.coops.now()); err != nil {
			return err
		}
		return m.record(ctx, tx, by, c.ID, kind, m.media.URL(key), "upload")
	})
	if err != nil {
		if written {
			m.remove(ctx, key)
		}
		return Cooperative{}, err
	}
	if old != "" && old != key {
		m.remove(ctx, old)
	}
	return m.coops.store.Get(ctx, m.coops.db, c.ID.String())
}

// Remove takes the cooperative's logo or cover away (an uploaded one or
// an address typed in), and the uploaded file once that is committed.
func (m *Images) Remove(ctx context.Context, by Actor, idOrSlug string, kind ImageKind) (Cooperative, error) {
	c, err := m.editable(ctx, by, idOrSlug)
	if err != nil {
		return Cooperative{}, err
	}
	var old string
	err = db.InTx(ctx, m.coops.db, func(tx *sqlx.Tx) error {
		if _, err := m.coops.store.Lock(ctx, tx, c.ID); err != nil {
			return err
		}
		if old, err = imageKey(ctx, tx, c.ID, kind); err != nil {
			return err
		}
		const q = `
DELETE FROM cooperative_images
WHERE cooperative_id = $1
  AND kind = $2`
		if _, err := tx.ExecContext(ctx, q, c.ID, string(kind)); err != nil {
			return fmt.Errorf("cooperative: delete image: %w", err)
		}
		return m.record(ctx, tx, by, c.ID, kind, "", "remove")
	})
	if err != nil {
		return Cooperative{}, err
	}
	if old != "" {
		m.remove(ctx, old)
	}
	return m.coops.store.Get(ctx, m.coops.db, c.ID.String())
}

// record writes the picture's address into the profile, the audit log and
// the outbox.
func (m *Images) record(ctx context.Context, tx *sqlx.Tx, by Actor, coop uuid.UUID, kind ImageKind, url, what string) error {
	q := `
UPDATE cooperatives
SET logo_url = $2, updated_at = $3
WHERE id = $1`
	if kind == KindCover {
		q = `
UPDATE cooperatives
SET banner_url = $2, updated_at = $3
WHERE id = $1`
	}
	if _, err := tx.ExecContext(ctx, q, coop, url, m.coops.now()); err != nil {
		return fmt.Errorf("cooperative: set %s: %w", kind, err)
	}
	if err := m.coops.accounts.Audit(ctx, tx, by, ActionImage, nil, coop,
		map[string]any{"kind": string(kind), "change": what}); err != nil {
		return err
	}
	return m.coops.store.Changed(ctx, tx, coop)
}

// imageKey is the storage key of the cooperative's uploaded logo or cover,
// "" when it has none.
func imageKey(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID, kind ImageKind) (string, error) {
	const q = `
SELECT key
FROM cooperative_images
WHERE cooperative_id = $1
  AND kind = $2`
	var key string
	err := sqlx.GetContext(ctx, ext, &key, q, coop, string(kind))
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("cooperative: image key: %w", err)
	}
	return key, nil
}

func putImage(ctx context.Context, ext sqlx.ExtContext, coop uuid.UUID, kind ImageKind, key string, f ImageFile, now time.Time) error {
	const q = `
INSERT INTO cooperative_images (cooperative_id, kind, key, content_type, width, height, bytes, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
ON CONFLICT (cooperative_id, kind) DO UPDATE
SET key = EXCLUDED.key, content_type = EXCLUDED.content_type, width = EXCLUDED.width,
    height = EXCLUDED.height, bytes = EXCLUDED.bytes, updated_at = EXCLUDED.updated_at`
	_, err := ext.ExecContext(ctx, q, coop, string(kind), key, f.ContentType, f.Width, f.Height, len(f.Data), now)
	if err != nil {
		return fmt.Errorf("cooperative: put image: %w", db.Classify(err))
	}
	return nil
}

// remove deletes a file no row refers to. It runs after the request's
// outcome is settled, so a failure is logged, not returned: the file is an
// orphan, harmless but for its space.
func (m *Images) remove(ctx context.Context, key string) {
	ctx = context.WithoutCancel(ctx)
	if err := m.media.Delete(ctx, key); err != nil && m.log != nil {
		m.log.ErrorContext(ctx, "cooperative: orphan image file", "key", key, "err", err)
	}
}
