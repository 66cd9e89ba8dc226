package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
)

// catalogCoops gives the catalog the cooperatives it sells for, from the
// cooperative store, inside the catalog's own transactions.
type catalogCoops struct {
	db    *sqlx.DB
	store *cooperative.Store
}

var _ catalog.Cooperatives = catalogCoops{}

func toCatalogCoop(c cooperative.Cooperative, err error) (catalog.Coop, error) {
	if errors.Is(err, cooperative.ErrNotFound) {
		return catalog.Coop{}, fmt.Errorf("%w: %w", catalog.ErrCooperativeNotFound, err)
	}
	if err != nil {
		return catalog.Coop{}, err
	}
	return catalog.Coop{ID: c.ID, Slug: c.Slug, Name: c.Name, Province: c.Province,
		Verified: c.Status == cooperative.StatusVerified}, nil
}

func (a catalogCoops) Cooperative(ctx context.Context, idOrSlug string) (catalog.Coop, error) {
	return toCatalogCoop(a.store.Get(ctx, a.db, idOrSlug))
}

func (a catalogCoops) EnsureForImport(ctx context.Context, ext sqlx.ExtContext, name, province string) (catalog.Coop, error) {
	return toCatalogCoop(a.store.EnsureForImport(ctx, ext, name, province))
}

func (a catalogCoops) SetProductStats(ctx context.Context, ext sqlx.ExtContext, coopID uuid.UUID, groups []string, products, ocopProducts int) error {
	return a.store.SetProductStats(ctx, ext, coopID, groups, products, ocopProducts)
}

// newCatalog builds the catalog service on the cooperative store.
func newCatalog(d *sqlx.DB, coops *cooperative.Service, provinces catalog.Provinces, opts ...catalog.Option) *catalog.Service {
	return catalog.NewService(d, catalog.NewStore(), catalogCoops{db: d, store: coops.Store()}, provinces, opts...)
}

// catalogAudit records delegates' catalog changes in identity's audit log.
type catalogAudit struct{ ids *identity.Service }

var _ catalog.Auditor = catalogAudit{}

func (a catalogAudit) Record(ctx context.Context, ext sqlx.ExtContext, actor uuid.UUID, action string, productID, coopID uuid.UUID) error {
	return a.ids.AuditIn(ctx, ext, identity.Caller{UserID: actor}, action, nil, &coopID,
		map[string]any{"as": "coop_delegate", "product_id": productID})
}
