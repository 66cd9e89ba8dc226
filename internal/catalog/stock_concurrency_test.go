package catalog_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db"
)

// TestTakeStockLosesNoUnitUnderContention: many transactions take units of
// the same packagings at once, in different orders; every committed take
// is in the final stock, none twice, none lost, and none deadlocks.
func TestTakeStockLosesNoUnitUnderContention(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Chè Tân Cương", "thai-nguyen", "verified")
	admin := &auth.Principal{UserID: uuid.New(), Roles: []auth.Role{auth.RoleAdmin}}
	const initial = 1_000_000
	var ids []uuid.UUID
	for i := range 3 {
		p, err := s.Create(ctx, admin, coop.Slug, catalog.NewProduct{Name: fmt.Sprintf("Chè %d", i), Group: "do-uong",
			Province: "thai-nguyen", Status: catalog.StatusActive,
			Variants: []catalog.NewVariant{{SKU: fmt.Sprintf("che-%d", i), Unit: "hộp", PriceVND: 1000, Stock: initial}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.Variants[0].ID)
	}
	const workers, rounds = 24, 40
	taken := make([][3]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				// Each transaction takes 1–3 units of each packaging, listed
				// in an order of its own.
				var changes []catalog.StockChange
				var q [3]int
				for k := range 3 {
					i := (w + r + k) % 3
					q[i] = 1 + (w+r+i)%3
					changes = append(changes, catalog.StockChange{VariantID: ids[i], Quantity: q[i]})
				}
				err := db.InTx(ctx, d, func(tx *sqlx.Tx) error { return s.TakeStock(ctx, tx, changes) })
				if err != nil {
					t.Error(err)
					return
				}
				for i := range 3 {
					taken[w][i] += q[i]
				}
			}
		}()
	}
	wg.Wait()
	for i, id := range ids {
		want := initial
		for w := range workers {
			want -= taken[w][i]
		}
		var stock int
		if err := d.Get(&stock, `SELECT stock FROM product_variants WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if stock != want {
			t.Errorf("packaging %d: stock %d, want %d", i, stock, want)
		}
	}
}
