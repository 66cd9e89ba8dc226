package app

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
)

// duringSource calls during once, after the rebuild has read the first
// page of the catalog.
type duringSource struct {
	searchSource
	during func()
}

func (s duringSource) AllDocuments(ctx context.Context, yield func(search.Document) error) error {
	first := true
	return s.searchSource.AllDocuments(ctx, func(d search.Document) error {
		if err := yield(d); err != nil {
			return err
		}
		if first {
			first = false
			s.during()
		}
		return nil
	})
}

// TestReindexKeepsCatalogChangesMadeDuringIt runs `search reindex` on the
// postgres engine while a product is renamed and a cooperative stops
// being verified: the catalog's page was read before, so only the replay
// of the outbox brings the index up to date.
func TestReindexKeepsCatalogChangesMadeDuringIt(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	provinces := geo.NewService(geo.NewStore(d))
	products := catalog.NewService(d, catalog.NewStore(), catalogtest.SQLCooperatives{DB: d}, provinces)
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	suspended := catalogtest.NewCooperative(t, d, "HTX Gốm Bát Tràng", "ha-noi", "verified")
	manager := &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{
		{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager},
		{CooperativeID: suspended.ID, CooperativeSlug: suspended.Slug, Role: auth.RoleCoopManager},
	}}
	create := func(c catalog.Coop, name, sku string) catalog.Product {
		t.Helper()
		p, err := products.Create(ctx, manager, c.Slug, catalog.NewProduct{Name: name, Group: "do-uong", Province: "Thái Nguyên",
			Status: catalog.StatusActive, Variants: []catalog.NewVariant{{SKU: sku, Unit: "hộp", PriceVND: 100000, Stock: 5}}})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return p
	}
	kept := create(coop, "Chè búp", "che-bup")
	renamed := create(coop, "Chè xanh", "che-xanh")
	create(suspended, "Bình gốm men lam", "binh-gom")

	newName := "Chè xanh Tân Cương"
	during := func() {
		if _, err := products.Update(ctx, manager, renamed.Slug, catalog.ProductUpdate{Name: &newName}); err != nil {
			t.Errorf("rename: %v", err)
		}
		// As the cooperative capability records a suspension.
		err := db.InTx(ctx, d, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE cooperatives SET status = 'pending' WHERE id = $1`, suspended.ID); err != nil {
				return err
			}
			return outbox.Write(ctx, tx, cooperative.TopicChanged, suspended.ID.String(), struct{}{})
		})
		if err != nil {
			t.Errorf("suspend: %v", err)
		}
	}
	src := duringSource{searchSource: searchSource{products: products, provinces: provinces}, during: during}
	if err := search.Reindex(ctx, newPGSearch(d), src); err != nil {
		t.Fatal(err)
	}

	var rows []struct {
		ID   uuid.UUID `db:"id"`
		Name string    `db:"name"`
	}
	if err := d.SelectContext(ctx, &rows, `SELECT id, name FROM search_documents`); err != nil {
		t.Fatal(err)
	}
	got := map[uuid.UUID]string{}
	for _, r := range rows {
		got[r.ID] = r.Name
	}
	want := map[uuid.UUID]string{kept.ID: kept.Name, renamed.ID: newName}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("index after reindex (-want +got):\n%s", diff)
	}
}
