package catalog_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/web/webtest"
)

const listPath = "/api/v1/products?sort=price_asc&province=thai-nguyen"

// as sends a GET as actor (anonymous with an empty token).
func as(env *apptest.Env, token, path string, header ...string) *webtest.Response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return env.Client.Do(req)
}

func mustJSON(t *testing.T, v any, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCacheServesWhatTheServiceReturns compares cached answers, twice
// (miss, hit), with the service's uncached result as c.JSON encodes it.
func TestCacheServesWhatTheServiceReturns(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè móc câu", catalog.StatusActive)
	ctx := context.Background()
	product, err := env.Server.Catalog.Get(ctx, nil, p.Slug)
	wantProduct := mustJSON(t, product, err)
	page, err := env.Server.Catalog.List(ctx, catalog.Filter{Sort: "price_asc", Province: "thai-nguyen"})
	wantPage := mustJSON(t, page, err)
	for i := range 2 {
		for _, path := range []string{"/api/v1/products/" + p.Slug, "/api/v1/products/" + p.ID.String()} {
			res := as(env, "", path)
			if res.Status != http.StatusOK || string(res.Body) != string(wantProduct) {
				t.Fatalf("request %d of %s: %d\n%s\nwant\n%s", i, path, res.Status, res.Body, wantProduct)
			}
		}
		res := as(env, "", listPath)
		if res.Status != http.StatusOK || string(res.Body) != string(wantPage) {
			t.Fatalf("request %d of the list: %d\n%s\nwant\n%s", i, res.Status, res.Body, wantPage)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("Content-Type %q", ct)
		}
	}
}

// TestCacheSeesOwnWritesAtOnce changes a cached product, its stock and its
// variants through the service: the next anonymous read shows the change.
func TestCacheSeesOwnWritesAtOnce(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè búp", catalog.StatusActive)
	ctx := context.Background()
	path := "/api/v1/products/" + p.Slug
	steps := []struct {
		name  string
		write func() error
		want  string
	}{
		{"rename", func() error {
			name := "Chè búp đặc biệt"
			_, err := env.Server.Catalog.Update(ctx, admin, p.Slug, catalog.ProductUpdate{Name: &name})
			return err
		}, "Chè búp đặc biệt"},
		{"stock", func() error {
			_, err := env.Server.Catalog.SetStock(ctx, admin, p.Slug, p.Variants[0].ID, 4242)
			return err
		}, `"stock":4242`},
		{"variant", func() error {
			_, err := env.Server.Catalog.AddVariant(ctx, admin, p.ID.String(), catalog.NewVariant{SKU: "che-bup-1kg", Unit: "túi 1kg", PriceVND: 90000})
			return err
		}, "che-bup-1kg"},
		{"import", func() error {
			_, err := env.Server.Catalog.Import(ctx, catalog.ImportRequest{CSV: strings.NewReader(string(catalog.SampleCSV))})
			return err
		}, `"items":[{`},
	}
	for _, s := range steps {
		as(env, "", path) // fill the cache
		as(env, "", listPath)
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		drainIndex(t, env) // lists come from the search index, fed by the outbox
		got := string(as(env, "", path).Body) + string(as(env, "", listPath).Body)
		if !strings.Contains(got, s.want) {
			t.Fatalf("after %s the cache still serves the old page: %s", s.name, got)
		}
	}
	// The list shows the new name too (the import did not rename it).
	if got := as(env, "", listPath).Body; !strings.Contains(string(got), "Chè búp đặc biệt") {
		t.Fatalf("list: %s", got)
	}
}

// TestCacheExpires changes a product behind the service's back: the cache
// serves the old page until its TTL has passed.
func TestCacheExpires(t *testing.T) {
	env := apptest.New(t, map[string]string{"CATALOG_CACHE_TTL": "300ms"})
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè tôm nõn", catalog.StatusActive)
	path := "/api/v1/products/" + p.Slug
	as(env, "", path)
	as(env, "", listPath)
	changed := time.Now()
	if _, err := env.DB.Exec(`UPDATE products SET name = 'Chè đổi bằng SQL' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	if got := string(as(env, "", path).Body); strings.Contains(got, "đổi bằng SQL") && time.Since(changed) < 300*time.Millisecond {
		t.Fatalf("served fresh data before the TTL: the cache is not used: %s", got)
	}
	time.Sleep(350 * time.Millisecond)
	// (Lists come from the search index, which a change behind the
	// service's back, without an outbox message, does not reach.)
	for _, path := range []string{path} {
		if got := string(as(env, "", path).Body); !strings.Contains(got, "đổi bằng SQL") {
			t.Fatalf("%s after the TTL: %s", path, got)
		}
	}
}

// TestCacheNeverLeaksDrafts reads drafts and archived variants as members
// and as outsiders in every order, and a product becoming a draft.
func TestCacheNeverLeaksDrafts(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	ctx := context.Background()
	manager := f.Token(t, env, authtest.CoopManager)
	consumer := f.Token(t, env, authtest.Consumer)
	adminToken := f.Token(t, env, authtest.Admin)

	draft := newProduct(t, env, f.Coop.Slug, "Chè nháp bí mật", catalog.StatusDraft)
	for _, path := range []string{"/api/v1/products/" + draft.Slug, "/api/v1/products/" + draft.ID.String()} {
		for _, tok := range []string{"", manager, "", consumer, adminToken, ""} {
			res := as(env, tok, path)
			insider := tok == manager || tok == adminToken
			if insider && res.Status != http.StatusOK || !insider && res.Status != http.StatusNotFound {
				t.Fatalf("%s: status %d (insider %t)", path, res.Status, insider)
			}
		}
	}
	for _, tok := range []string{"", manager} {
		if got := as(env, tok, listPath).Body; strings.Contains(string(got), "bí mật") {
			t.Fatalf("the public list shows a draft: %s", got)
		}
	}

	// An archived variant: members see it after outsiders filled the cache;
	// outsiders never do.
	p := newProduct(t, env, f.Coop.Slug, "Chè hai gói", catalog.StatusActive)
	p, err := env.Server.Catalog.AddVariant(ctx, admin, p.Slug, catalog.NewVariant{SKU: "che-an-di", Unit: "gói", PriceVND: 1000})
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/products/" + p.Slug
	as(env, "", path)
	if _, err := env.DB.Exec(`UPDATE product_variants SET status = 'archived' WHERE sku = 'che-an-di'`); err != nil {
		t.Fatal(err) // behind the cache's back: members must still see it at once
	}
	if got := as(env, manager, path); !strings.Contains(string(got.Body), `"status":"archived"`) {
		t.Fatalf("a member does not see the archived variant: %s", got.Body)
	}
	if _, err := env.Server.Catalog.ArchiveVariant(ctx, admin, p.Slug, p.Variants[1].ID); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"", consumer} {
		if got := as(env, tok, path); strings.Contains(string(got.Body), "che-an-di") {
			t.Fatalf("an outsider sees an archived variant: %s", got.Body)
		}
	}

	// Back to draft: outsiders lose it at once, members keep it.
	as(env, "", path)
	draftStatus := catalog.StatusDraft
	if _, err := env.Server.Catalog.Update(ctx, admin, p.Slug, catalog.ProductUpdate{Status: &draftStatus}); err != nil {
		t.Fatal(err)
	}
	if res := as(env, "", path); res.Status != http.StatusNotFound {
		t.Fatalf("a product made a draft is still public: %d", res.Status)
	}
	if res := as(env, manager, path); res.Status != http.StatusOK {
		t.Fatalf("a member lost the draft: %d", res.Status)
	}
}

// TestHTTPCaching checks the headers: public with an ETag and 304 for
// anonymous callers, private and no-store for signed-in ones.
func TestHTTPCaching(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè đinh", catalog.StatusActive)
	consumer := f.Token(t, env, authtest.Consumer)
	manager := f.Token(t, env, authtest.CoopManager)
	for _, path := range []string{"/api/v1/products/" + p.Slug, listPath} {
		res := as(env, "", path)
		etag := res.Header.Get("ETag")
		if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") || !strings.HasPrefix(etag, `W/"`) {
			t.Fatalf("%s: Cache-Control %q, ETag %q", path, cc, etag)
		}
		if v := res.Header.Get("Vary"); !strings.Contains(v, "Cookie") || !strings.Contains(v, "Authorization") {
			t.Fatalf("%s: Vary %q", path, v)
		}
		for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag} {
			if res := as(env, "", path, "If-None-Match", inm); res.Status != http.StatusNotModified || len(res.Body) != 0 {
				t.Fatalf("%s If-None-Match %s: %d %q", path, inm, res.Status, res.Body)
			}
		}
		if res := as(env, "", path, "If-None-Match", `W/"other"`); res.Status != http.StatusOK {
			t.Fatalf("%s with another tag: %d", path, res.Status)
		}
		for _, tok := range []string{consumer, manager} {
			res := as(env, tok, path, "If-None-Match", etag)
			if res.Status != http.StatusOK || res.Header.Get("Cache-Control") != "private, no-store" || res.Header.Get("ETag") != "" {
				t.Fatalf("%s signed in: %d, Cache-Control %q, ETag %q", path, res.Status, res.Header.Get("Cache-Control"), res.Header.Get("ETag"))
			}
		}
	}
}

// TestCacheOff runs with CATALOG_CACHE_TTL=0: every read is fresh and no
// caching header is sent.
func TestCacheOff(t *testing.T) {
	env := apptest.New(t, map[string]string{"CATALOG_CACHE_TTL": "0"})
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè xanh", catalog.StatusActive)
	path := "/api/v1/products/" + p.Slug
	as(env, "", path)
	if _, err := env.DB.Exec(`UPDATE products SET name = 'Chè đổi bằng SQL' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	res := as(env, "", path)
	if !strings.Contains(string(res.Body), "đổi bằng SQL") {
		t.Fatalf("stale with the cache off: %s", res.Body)
	}
	if res.Header.Get("Cache-Control") != "" || res.Header.Get("ETag") != "" {
		t.Fatalf("caching headers with the cache off: %v", res.Header)
	}
	if strings.Contains(string(env.Client.Get("/metrics").Body), "htxmarket_catalog_cache_lookups_total") {
		t.Fatal("cache metrics registered with the cache off")
	}
}

// TestCacheMetrics counts a miss and a hit.
func TestCacheMetrics(t *testing.T) {
	env := apptest.New(t, nil)
	f := authtest.Setup(t, env)
	p := newProduct(t, env, f.Coop.Slug, "Chè vàng", catalog.StatusActive)
	as(env, "", "/api/v1/products/"+p.Slug)
	as(env, "", "/api/v1/products/"+p.Slug)
	m := string(env.Client.Get("/metrics").Body)
	for _, want := range []string{
		`htxmarket_catalog_cache_lookups_total{cache="product",result="hit"} 1`,
		`htxmarket_catalog_cache_lookups_total{cache="product",result="miss"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Fatalf("metrics lack %s", want)
		}
	}
}
