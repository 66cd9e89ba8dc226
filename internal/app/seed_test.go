package app_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"htxmarket/internal/app"
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
		if c.Products != 188 || c.Cooperatives != 154 || c.Verified != 154 || c.Users < 7 {
			t.Fatalf("after seed: %+v, want 188 products of 154 verified cooperatives and the demo accounts", c)
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
