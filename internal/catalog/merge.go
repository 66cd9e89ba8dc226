package catalog

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db"
)

// MergedInto returns the slug of the product that the product at slug was
// merged into (a CSV import made its packagings packagings of another
// product), or ErrNotFound when no merged product had that slug or the
// product it went to is not public. Anyone may ask: the old address of a
// public product was public.
func (s *Service) MergedInto(ctx context.Context, slug string) (string, error) {
	if slug == "" || len(slug) > 200 {
		return "", ErrNotFound
	}
	return mergedInto(ctx, s.db, slug)
}

func mergedInto(ctx context.Context, ext sqlx.ExtContext, slug string) (string, error) {
	// Only a public product is a destination: the address of a draft
	// or a hidden cooperative's product is not given away.
	const q = `
SELECT t.slug
FROM products p
JOIN products t ON t.id = p.merged_into
JOIN cooperatives c ON c.id = t.cooperative_id
WHERE p.slug = $1 AND p.status = 'archived' AND t.status = 'active' AND c.status = 'verified'`
	var to string
	if err := sqlx.GetContext(ctx, ext, &to, q, slug); err != nil {
		if errors.Is(db.Classify(err), db.ErrNotFound) {
			return "", ErrNotFound
		}
		return "", fmt.Errorf("catalog: merged product %q: %w", slug, err)
	}
	return to, nil
}
