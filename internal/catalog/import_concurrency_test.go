package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/platform/geo"
)

func managerOf(coop catalog.Coop) *auth.Principal {
	return &auth.Principal{UserID: uuid.New(), Memberships: []auth.Membership{
		{CooperativeID: coop.ID, CooperativeSlug: coop.Slug, Role: auth.RoleCoopManager}}}
}

// oneRow is a catalog CSV of one product of coop.
func oneRow(coop catalog.Coop, sku, name string) string {
	return strings.Join(catalog.Columns, ",") + "\n" +
		sku + "," + coop.Name + ",thai-nguyen," + name + ",thuc-pham,chai,150000,,,10,,,,\n"
}

// waitForLockWaiters waits until n sessions of the test's database wait
// for a lock.
func waitForLockWaiters(t *testing.T, d *sqlx.DB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		const q = `
SELECT count(*)
FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock'`
		var got int
		if err := d.Get(&got, q); err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fewer than %d sessions ever waited for a lock", n)
}

// TestConcurrentImportsOfTheSameNewSKU is issue #16's second fault. Two
// imports of a cooperative see SKU X as new at once; a transaction of the
// test holds what both then need (the product's slug, or the SKU) until
// both wait for it, so that they overlap every time.
func TestConcurrentImportsOfTheSameNewSKU(t *testing.T) {
	for _, tc := range []struct {
		name         string
		first, other string // product names in the two files
		block        string // what the test's transaction holds
	}{
		// Identical rows: the second import failed with a raw 23505
		// products_slug_key.
		{name: "identical rows", first: "Mật ong rừng", other: "Mật ong rừng", block: "slug"},
		// Other names: the second import's variant insert updated the
		// first's variant, leaving the second product with none.
		{name: "same SKU, other names", first: "Mật ong rừng", other: "Mật ong hoa nhãn", block: "sku"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, d := newService(t)
			ctx := context.Background()
			coop := catalogtest.NewCooperative(t, d, "HTX Mật ong Bắc Kạn", "thai-nguyen", "verified")
			manager := managerOf(coop)

			blocker, err := d.BeginTxx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer blocker.Rollback()
			blockID := uuid.Must(uuid.NewV7())
			slug := "blocker"
			if tc.block == "slug" {
				slug = catalog.Slugify(tc.first)
			}
			const product = `
INSERT INTO products (id, cooperative_id, slug, name, group_slug, province_slug)
VALUES ($1, $2, $3, 'chặn', 'thuc-pham', 'thai-nguyen')`
			if _, err := blocker.ExecContext(ctx, product, blockID, coop.ID, slug); err != nil {
				t.Fatal(err)
			}
			if tc.block == "sku" {
				const variant = `
INSERT INTO product_variants (id, product_id, cooperative_id, sku, unit, price_vnd)
VALUES ($1, $2, $3, 'MO-1', 'chai', 1000)`
				if _, err := blocker.ExecContext(ctx, variant, uuid.Must(uuid.NewV7()), blockID, coop.ID); err != nil {
					t.Fatal(err)
				}
			}

			errs := make(chan error, 2)
			for _, name := range []string{tc.first, tc.other} {
				go func() {
					_, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(oneRow(coop, "MO-1", name)),
						Cooperative: coop.Slug, Viewer: manager})
					errs <- err
				}()
			}
			waitForLockWaiters(t, d, 2)
			blocker.Rollback()
			for range 2 {
				if err := <-errs; err != nil {
					t.Errorf("import: %v", err)
				}
			}
			if n := count(t, d, `SELECT count(*) FROM products WHERE cooperative_id = $1`, coop.ID); n != 1 {
				t.Errorf("%d products of SKU MO-1, want 1", n)
			}
			const bare = `
SELECT count(*)
FROM products p
WHERE p.cooperative_id = $1
  AND NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id)`
			if n := count(t, d, bare, coop.ID); n != 0 {
				t.Errorf("%d products without a variant", n)
			}
		})
	}
}

// TestConcurrentImportsOfOneNameByTwoCooperatives: their locks do not
// order imports of two cooperatives, which may both choose the slug of a
// new product's name; the second then tries again and takes the next.
func TestConcurrentImportsOfOneNameByTwoCooperatives(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	coops := []catalog.Coop{
		catalogtest.NewCooperative(t, d, "HTX Mật ong Bắc Kạn", "thai-nguyen", "verified"),
		catalogtest.NewCooperative(t, d, "HTX Ong mật Ba Vì", "thai-nguyen", "verified"),
	}
	blocker, err := d.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback()
	const product = `
INSERT INTO products (id, cooperative_id, slug, name, group_slug, province_slug)
VALUES ($1, $2, 'mat-ong-rung', 'chặn', 'thuc-pham', 'thai-nguyen')`
	if _, err := blocker.ExecContext(ctx, product, uuid.Must(uuid.NewV7()), coops[0].ID); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, c := range coops {
		go func() {
			_, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(oneRow(c, "MO-1", "Mật ong rừng")),
				Cooperative: c.Slug, Viewer: managerOf(c)})
			errs <- err
		}()
	}
	waitForLockWaiters(t, d, 2)
	blocker.Rollback()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("import: %v", err)
		}
	}
	if n := count(t, d, `SELECT count(*) FROM products WHERE slug IN ('mat-ong-rung', 'mat-ong-rung-2')`); n != 2 {
		t.Errorf("%d products mat-ong-rung[-2], want 2", n)
	}
}

// TestImportOfAPendingCooperativeIsRefused: a cooperative that trade
// staff have not verified yet cannot import, not even a dry run (issue
// #12): anyone may register one.
func TestImportOfAPendingCooperativeIsRefused(t *testing.T) {
	s, d := newService(t)
	coop := catalogtest.NewCooperative(t, d, "HTX Mật ong Bắc Kạn", "thai-nguyen", "pending")
	for _, dry := range []bool{true, false} {
		_, err := s.Import(context.Background(), catalog.ImportRequest{CSV: strings.NewReader(oneRow(coop, "MO-1", "Mật ong")),
			Cooperative: coop.Slug, Viewer: managerOf(coop), DryRun: dry})
		if !errors.Is(err, catalog.ErrCooperativeNotVerified) {
			t.Errorf("dry run %v: err %v, want ErrCooperativeNotVerified", dry, err)
		}
	}
	if n := count(t, d, `SELECT count(*) FROM products`); n != 0 {
		t.Errorf("%d products imported", n)
	}
}

// TestImportWaitsForAnotherImportOfTheCooperative: one import at a time
// per cooperative; the second waits for the first, and past the wait it
// is refused with ErrImportBusy rather than queued for ever.
func TestImportWaitsForAnotherImportOfTheCooperative(t *testing.T) {
	s, d := newServiceWith(t, catalog.WithImportLimits(catalog.ImportLimits{LockWait: 200 * time.Millisecond}))
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Mật ong Bắc Kạn", "thai-nguyen", "verified")
	held := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- catalog.HoldImportLock(ctx, d, coop.ID, func() {
			close(held)
			<-release
		})
	}()
	<-held
	_, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(oneRow(coop, "MO-1", "Mật ong")),
		Cooperative: coop.Slug, Viewer: managerOf(coop)})
	if !errors.Is(err, catalog.ErrImportBusy) {
		t.Errorf("import during another: err %v, want ErrImportBusy", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(oneRow(coop, "MO-1", "Mật ong")),
		Cooperative: coop.Slug, Viewer: managerOf(coop)}); err != nil {
		t.Errorf("import after the other: %v", err)
	}
}

// TestImportStatementTimeout: a statement of an import that runs past the
// import's statement timeout ends the import with ErrImportTimeout.
func TestImportStatementTimeout(t *testing.T) {
	s, _ := newServiceWith(t, catalog.WithImportLimits(catalog.ImportLimits{StatementTimeout: time.Millisecond}))
	_, err := s.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(catalogtest.GenerateCSV(2000, 5))})
	if !errors.Is(err, catalog.ErrImportTimeout) {
		t.Errorf("err %v, want ErrImportTimeout", err)
	}
}

func newServiceWith(t testing.TB, opts ...catalog.Option) (*catalog.Service, *sqlx.DB) {
	t.Helper()
	d := dbtest.New(t)
	return catalog.NewService(d, catalog.NewStore(), catalogtest.SQLCooperatives{DB: d}, geo.NewService(geo.NewStore(d)), opts...), d
}
