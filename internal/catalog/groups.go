package catalog

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"
)

// Group is an OCOP product group (Thực phẩm, Đồ uống …).
type Group struct {
	Slug   string `json:"slug" db:"slug"`
	Name   string `json:"name" db:"name"`
	NameEn string `json:"name_en" db:"name_en"`
}

// Groups returns the OCOP product groups in their official order.
func (s *Service) Groups(ctx context.Context) ([]Group, error) {
	const q = `
SELECT slug, name, name_en
FROM ocop_groups
ORDER BY position`
	var out []Group
	if err := sqlx.SelectContext(ctx, s.db, &out, q); err != nil {
		return nil, fmt.Errorf("catalog: ocop groups: %w", err)
	}
	return out, nil
}

// groups answers GET /ocop-groups (public): reference data that changes
// only with a migration, so clients may cache it for an hour.
func (h handler) groups(c *fiber.Ctx) error {
	gs, err := h.s.Groups(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(fiber.Map{"items": gs})
}
