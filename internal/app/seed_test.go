package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/uuid"

	"htxmarket/internal/app"
	"htxmarket/internal/app/apptest"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/db"
	"htxmarket/internal/platform/db/dbtest"
)

// TestSeedOnAFreshDatabaseIsIdempotent runs `htxmarket seed` twice on a
// database that does not exist yet: the first run creates and migrates it
// (development defaults) and loads the sample catalog and demo accounts;
// the second changes nothing.
func TestSeedOnAFreshDatabaseIsIdempotent(t *testing.T) {
	const name = "htxmarket_test_seed"
	dbtest.Drop(t, name)
	t.Cleanup(func() { dbtest.Drop(t, name) })
	url := dbtest.URL(name)
	vars := map[string]string{"APP_ENV": "development", "DATABASE_URL": url, "ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1"}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }

	counts := func() string {
		d, err := db.Open(context.Background(), url, db.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var c struct {
			Products     int `db:"products"`
			Variants     int `db:"variants"`
			Cooperatives int `db:"cooperatives"`
			Verified     int `db:"verified"`
			Users        int `db:"users"`
		}
		err = d.Get(&c, `SELECT
			(SELECT count(*) FROM products) AS products,
			(SELECT count(*) FROM product_variants) AS variants,
			(SELECT count(*) FROM cooperatives) AS cooperatives,
			(SELECT count(*) FROM cooperatives WHERE status = 'verified') AS verified,
			(SELECT count(*) FROM users) AS users`)
		if err != nil {
			t.Fatal(err)
		}
		if c.Products != 154 || c.Variants != 188 || c.Cooperatives != 154 || c.Verified != 154 || c.Users < 7 {
			t.Fatalf("after seed: %+v, want 154 products in 188 packagings of 154 verified cooperatives and the demo accounts", c)
		}
		return "products " + strconv.Itoa(c.Products) + " variants " + strconv.Itoa(c.Variants) + " users " + strconv.Itoa(c.Users)
	}

	var out, errOut bytes.Buffer
	if err := app.Run(context.Background(), []string{"seed"}, &app.Env{Stdout: &out, Stderr: &errOut, Lookup: lookup}); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "quantri@demo.htxmarket.vn") {
		t.Fatalf("seed does not print the demo accounts:\n%s", out.String())
	}
	first := counts()
	if err := app.Run(context.Background(), []string{"seed"}, &app.Env{Stdout: &out, Stderr: &errOut, Lookup: lookup}); err != nil {
		t.Fatal(err)
	}
	if again := counts(); again != first {
		t.Fatalf("seed is not idempotent: %s, then %s", first, again)
	}
}

// TestSeedMergesTheSampleOfBeforePackagings seeds a database that holds
// the sample catalog of before packagings, where each boxed packaging
// ("Nước mắm Phú Quốc - thùng 6 chai") was a product of its own: the
// boxed products become packagings of their product, with their variants'
// IDs (a cart line on one stays valid), their old addresses redirect, and
// nothing is lost.
func TestSeedMergesTheSampleOfBeforePackagings(t *testing.T) {
	const name = "htxmarket_test_seed_merge"
	dbtest.Drop(t, name)
	t.Cleanup(func() { dbtest.Drop(t, name) })
	url := dbtest.URL(name)
	vars := map[string]string{"APP_ENV": "development", "DATABASE_URL": url, "ARGON2_MEMORY_KIB": "64", "ARGON2_TIME": "1",
		"LOG_LEVEL": "error", "STORAGE_DIR": t.TempDir()}
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := app.Run(context.Background(), args, &app.Env{Stdout: &out, Stderr: &errOut, Lookup: lookup}); err != nil {
			t.Fatalf("%v: %v\n%s%s", args, err, out.String(), errOut.String())
		}
		return out.String()
	}
	run("seed") // creates and migrates the database
	d, err := db.Open(context.Background(), url, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// Back to the catalog of before: the old sample's 188 products.
	d.MustExec(`TRUNCATE product_variants, products, outbox CASCADE`)
	run("import", "testdata/catalog-sample-before-packagings.csv")

	type variant struct {
		SKU     string    `db:"sku"`
		ID      uuid.UUID `db:"id"`
		Product uuid.UUID `db:"product_id"`
		Slug    string    `db:"slug"`
	}
	variants := func() map[string]variant {
		var vs []variant
		if err := d.Select(&vs, `SELECT v.sku, v.id, v.product_id, p.slug FROM product_variants v JOIN products p ON p.id = v.product_id`); err != nil {
			t.Fatal(err)
		}
		m := map[string]variant{}
		for _, v := range vs {
			m[v.SKU] = v
		}
		return m
	}
	before := variants()
	if len(before) != 188 || before["nuoc-mam-phu-quoc"].Product == before["nuoc-mam-phu-quoc-thung-6-chai"].Product {
		t.Fatalf("the old sample: %d variants, the boxed fish sauce a product of its own: %+v", len(before), before["nuoc-mam-phu-quoc-thung-6-chai"])
	}
	boxed := before["nuoc-mam-phu-quoc-thung-6-chai"]
	cart := uuid.Must(uuid.NewV7())
	d.MustExec(`INSERT INTO carts (id, token_hash) VALUES ($1, sha256('seed-merge'::bytea))`, cart)
	d.MustExec(`INSERT INTO cart_items (id, cart_id, variant_id, quantity) VALUES ($1, $2, $3, 1)`, uuid.Must(uuid.NewV7()), cart, boxed.ID)

	out := run("seed")
	if !strings.Contains(out, "154 sản phẩm, 188 cách đóng gói") || !strings.Contains(out, "34 sản phẩm cũ đã gộp") {
		t.Fatalf("seed's report:\n%s", out)
	}
	after := variants()
	var merged []string
	for sku, was := range before {
		now := after[sku]
		if now.ID != was.ID {
			t.Errorf("%s: variant %s became %s", sku, was.ID, now.ID)
		}
		if now.Product != was.Product {
			merged = append(merged, was.Slug)
		}
	}
	if len(merged) != 34 {
		t.Fatalf("%d variants moved, want the 34 boxed packagings: %v", len(merged), merged)
	}
	if fish := after["nuoc-mam-phu-quoc-thung-6-chai"]; fish.Product != before["nuoc-mam-phu-quoc"].Product {
		t.Fatalf("the boxed fish sauce is in %s, want the product of the bottle", fish.Slug)
	}
	var c struct {
		Active   int `db:"active"`
		Merged   int `db:"merged"`
		Removals int `db:"removals"`
		Cart     int `db:"cart"`
	}
	err = d.Get(&c, `SELECT
		(SELECT count(*) FROM products WHERE status = 'active') AS active,
		(SELECT count(*) FROM products WHERE status = 'archived' AND merged_into IS NOT NULL) AS merged,
		(SELECT count(*) FROM outbox WHERE topic = 'catalog.product.changed' AND payload->>'change' = 'merged') AS removals,
		(SELECT count(*) FROM cart_items i JOIN product_variants v ON v.id = i.variant_id
		 WHERE i.cart_id = $1 AND v.product_id = $2) AS cart`, cart, before["nuoc-mam-phu-quoc"].Product)
	if err != nil {
		t.Fatal(err)
	}
	if c != (struct {
		Active   int `db:"active"`
		Merged   int `db:"merged"`
		Removals int `db:"removals"`
		Cart     int `db:"cart"`
	}{Active: 154, Merged: 34, Removals: 34, Cart: 1}) {
		t.Fatalf("after the seed: %+v", c)
	}

	// The old addresses redirect, the API's and the page's.
	cfg, err := config.FromLookup(lookup)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := app.NewServer(cfg, app.NewLogger(cfg, io.Discard), d, app.Options{Frontend: fstest.MapFS{
		"index.html": {Data: []byte(apptest.IndexHTML)}}})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/api/v1/products/nuoc-mam-phu-quoc-thung-6-chai": "/api/v1/products/nuoc-mam-phu-quoc",
		"/san-pham/nuoc-mam-phu-quoc-thung-6-chai":        "/san-pham/nuoc-mam-phu-quoc",
		"/san-pham/tra-hoa-vang-ba-che-hop-qua":           "/san-pham/tra-hoa-vang-ba-che",
	} {
		res, err := srv.App.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 301 || res.Header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 301 to %s", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	for _, path := range []string{"/san-pham/nuoc-mam-phu-quoc", "/api/v1/products/nuoc-mam-phu-quoc"} {
		if res, err := srv.App.Test(httptest.NewRequest("GET", path, nil), -1); err != nil || res.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", path, res.StatusCode, err)
		}
	}

	// And again: nothing more to merge.
	if out := run("seed"); strings.Contains(out, "đã gộp") {
		t.Fatalf("the second seed merged again:\n%s", out)
	}
}
