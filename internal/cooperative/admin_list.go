package cooperative

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/web"
)

// AdminFilter selects cooperatives of every status for administrators,
// newest first, before the cursor Before.
type AdminFilter struct {
	Status   Status // "" for every status
	Province string // slug; "" for every province
	// Query is part of the name (accents optional), or the start of the
	// registration number or of the slug.
	Query  string
	Before uuid.UUID
	Limit  int
}

// maxQueryLen bounds a search text, in characters.
const maxQueryLen = 200

// AdminList returns cooperatives of any status for administrators.
func (s *Service) AdminList(ctx context.Context, by Actor, f AdminFilter) ([]Cooperative, error) {
	if !by.Principal.Has(auth.RoleAdmin) {
		return nil, auth.ErrForbidden
	}
	var v web.ValidationError
	f.Query = strings.TrimSpace(f.Query)
	v.Check(f.Status == "" || slices.Contains([]Status{StatusPending, StatusVerified, StatusRejected}, f.Status),
		"status", "phải là pending, verified hoặc rejected")
	v.Check(utf8.RuneCountInString(f.Query) <= maxQueryLen, "q", "nội dung tìm kiếm quá dài")
	v.Check(utf8.ValidString(f.Query) && !strings.ContainsRune(f.Query, 0), "q", "nội dung tìm kiếm không hợp lệ")
	if f.Province != "" && len(f.Province) <= 100 {
		if _, err := s.geo.Get(ctx, f.Province); err != nil {
			v.Add("province", "không có tỉnh, thành phố này")
		}
	} else if f.Province != "" {
		v.Add("province", "không có tỉnh, thành phố này")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	f.Limit = web.PageSize(f.Limit)
	const q = selectCooperative + `
WHERE ($1 = '' OR c.status = $1)
  AND ($2 = '' OR c.province_slug = $2)
  AND ($3 = ''
       OR c.name_folded LIKE '%' || fold_vi($3) || '%'
       OR c.registration_number LIKE $3 || '%'
       OR c.slug LIKE lower($3) || '%')
  AND ($4::uuid IS NULL OR c.id < $4)
ORDER BY c.id DESC
LIMIT $5`
	var before *uuid.UUID
	if f.Before != uuid.Nil {
		before = &f.Before
	}
	return s.store.list(ctx, s.db, "admin list", q, string(f.Status), f.Province, escapeLike(f.Query), before, f.Limit)
}

func (h handler) adminList(c *fiber.Ctx) error {
	var v web.ValidationError
	f := AdminFilter{Status: Status(c.Query("status")), Province: c.Query("province"), Query: c.Query("q"),
		Limit: web.PageLimit(c, &v)}
	if cur := c.Query("cursor"); cur != "" {
		id, err := uuid.Parse(cur)
		v.Check(err == nil, "cursor", "con trỏ trang không hợp lệ")
		f.Before = id
	}
	if err := v.Err(); err != nil {
		return err
	}
	items, err := h.s.AdminList(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	next := ""
	if len(items) == web.PageSize(f.Limit) {
		next = items[len(items)-1].ID.String()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"items": items, "next_cursor": nextCursor(next)})
}
