package catalog_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/outbox"
)

// drainIndex delivers the outbox to the search index, which answers the
// public lists.
func drainIndex(t *testing.T, env *apptest.Env) {
	t.Helper()
	relay := outbox.NewRelay(env.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	for {
		n, err := relay.RunOnce(context.Background(), env.Server.SearchIndexer.Consumer())
		if err != nil {
			t.Fatalf("drain outbox: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// listAll walks every page of a public list, failing on a repeat.
func listAll(t *testing.T, env *apptest.Env, query string) []catalog.Summary {
	t.Helper()
	var out []catalog.Summary
	seen := map[string]bool{}
	cursor := ""
	for range 100 {
		path := "/api/v1/products?" + query
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		res := env.Client.Get(path)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", path, res.Status, res.Body)
		}
		var page catalog.Page
		res.JSON(t, &page)
		for _, p := range page.Items {
			if seen[p.Slug] {
				t.Fatalf("%s: %s on two pages", query, p.Slug)
			}
			seen[p.Slug] = true
		}
		out = append(out, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return out
		}
	}
	t.Fatalf("%s: more than 100 pages", query)
	return nil
}

// The public lists come from the search index: every filter and sort
// selects what PostgreSQL holds, in order, over pages, and a product that
// leaves the catalog leaves the lists once the index has it.
func TestListsFromTheIndex(t *testing.T) {
	env := apptest.New(t, map[string]string{"CATALOG_CACHE_TTL": "0"})
	if _, err := env.Server.Catalog.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)}); err != nil {
		t.Fatal(err)
	}
	drainIndex(t, env)
	public := `FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
WHERE p.status = 'active' AND c.status = 'verified'`
	for _, tt := range []struct {
		query, where string
	}{
		{"limit=7", ""},
		{"province=ha-noi&limit=3", " AND p.province_slug = 'ha-noi'"},
		{"group=do-uong&sort=price_asc&limit=5", " AND p.group_slug = 'do-uong'"},
		{"province=lam-dong&group=thuc-pham&sort=price_desc", " AND p.province_slug = 'lam-dong' AND p.group_slug = 'thuc-pham'"},
		{"stars=4&sort=stars&limit=10", " AND p.ocop_stars >= 4 AND (p.ocop_expires_on IS NULL OR p.ocop_expires_on >= current_date)"},
		{"min_price=100000&max_price=200000&sort=price_asc&limit=9", " AND p.min_price_vnd BETWEEN 100000 AND 200000"},
		{"certification=vietgap&limit=6", " AND 'VietGAP' = ANY (p.certifications)"},
	} {
		got := listAll(t, env, tt.query)
		if want := count(t, env.DB, "SELECT count(*) "+public+tt.where); len(got) != want || want == 0 {
			t.Errorf("%s: %d products over the pages, %d in the catalog", tt.query, len(got), want)
		}
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			ok := true
			switch {
			case bytes.Contains([]byte(tt.query), []byte("sort=price_asc")):
				ok = *a.PriceVND <= *b.PriceVND
			case bytes.Contains([]byte(tt.query), []byte("sort=price_desc")):
				ok = *a.PriceVND >= *b.PriceVND
			case bytes.Contains([]byte(tt.query), []byte("sort=stars")):
				ok = a.OCOPStars >= b.OCOPStars
			default:
				ok = !a.CreatedAt.Before(b.CreatedAt)
			}
			if !ok {
				t.Errorf("%s: %s before %s", tt.query, a.Slug, b.Slug)
			}
		}
	}
	// By cooperative (slug), with its name and the product's fields.
	all := listAll(t, env, "limit=100")
	first := all[0]
	byCoop := listAll(t, env, "cooperative="+first.Cooperative.Slug)
	if want := count(t, env.DB, "SELECT count(*) "+public+" AND c.slug = $1", first.Cooperative.Slug); len(byCoop) != want {
		t.Errorf("cooperative %s: %d, want %d", first.Cooperative.Slug, len(byCoop), want)
	}
	if first.Cooperative.Name == "" || first.Status != catalog.StatusActive || first.UpdatedAt.IsZero() || first.PriceVND == nil {
		t.Errorf("summary from the index: %+v", first)
	}
	// Answered by the index (its cursors say so); a cursor of another
	// order is refused.
	res := env.Client.Get("/api/v1/products?limit=2")
	var page catalog.Page
	res.JSON(t, &page)
	if !strings.HasPrefix(page.NextCursor, "i") {
		t.Errorf("first page not from the index: cursor %q", page.NextCursor)
	}
	if p := env.Client.Get("/api/v1/products?limit=2&sort=price_asc&cursor=" + page.NextCursor).Problem(t); p.Type != "/problems/bad-cursor" {
		t.Errorf("cursor of newest read as price_asc: %s", p.Type)
	}
	// A change of stock waiting for the indexer (each checkout makes
	// some) leaves the lists to the index; once the freshness is looked
	// at again (every second).
	stock := catalog.ChangeMessage{ProductID: first.ID, CooperativeID: first.Cooperative.ID, Change: "stock"}
	if err := outbox.Write(context.Background(), env.DB, catalog.TopicProductChanged, first.ID.String(), stock); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	res = env.Client.Get("/api/v1/products?limit=2")
	res.JSON(t, &page)
	if !strings.HasPrefix(page.NextCursor, "i") {
		t.Errorf("a stock change sent the lists to PostgreSQL: cursor %q", page.NextCursor)
	}
	drainIndex(t, env)
	// Archived: gone from the lists once indexed.
	if _, err := env.Server.Catalog.Archive(context.Background(), admin, first.ID.String()); err != nil {
		t.Fatal(err)
	}
	drainIndex(t, env)
	if slices.ContainsFunc(listAll(t, env, "limit=100"), func(s catalog.Summary) bool { return s.ID == first.ID }) {
		t.Errorf("archived %s still listed", first.Slug)
	}
}
