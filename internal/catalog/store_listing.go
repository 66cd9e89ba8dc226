package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// EachPublicSlug calls fn with the slug and updated_at of every active
// product of a verified cooperative, in slug order, while it reads them.
func (s *PGStore) EachPublicSlug(ctx context.Context, ext sqlx.ExtContext, fn func(slug string, updatedAt time.Time) error) error {
	const q = `
SELECT p.slug, p.updated_at
FROM products p
JOIN cooperatives c ON c.id = p.cooperative_id
WHERE p.status = 'active'
  AND c.status = 'verified'
ORDER BY p.slug`
	rows, err := ext.QueryxContext(ctx, q)
	if err != nil {
		return fmt.Errorf("catalog: public slugs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r struct {
			Slug      string    `db:"slug"`
			UpdatedAt time.Time `db:"updated_at"`
		}
		if err := rows.StructScan(&r); err != nil {
			return fmt.Errorf("catalog: public slugs: %w", err)
		}
		if err := fn(r.Slug, r.UpdatedAt); err != nil {
			return err
		}
	}
	return rows.Err()
}
