package catalog

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// listingStore reads the addresses of the public products.
type listingStore interface {
	EachPublicSlug(ctx context.Context, ext sqlx.ExtContext, fn func(slug string, updatedAt time.Time) error) error
}

// EachPublic calls fn with the slug and last change of every public
// product (active, of a verified cooperative), for the sitemap.
func (s *Service) EachPublic(ctx context.Context, fn func(slug string, updatedAt time.Time) error) error {
	return s.store.EachPublicSlug(ctx, s.db, fn)
}
