package search_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"htxmarket/internal/app/apptest"
	"htxmarket/internal/app/authtest"
	"htxmarket/internal/catalog"
	"htxmarket/internal/platform/auth"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
)

// TestSearchAPI runs on one server whose catalog is the sample catalog,
// indexed through the outbox as the worker would.
func TestSearchAPI(t *testing.T) {
	env := apptest.New(t, nil)
	_, err := env.Server.Catalog.Import(context.Background(), catalog.ImportRequest{CSV: bytes.NewReader(catalog.SampleCSV)})
	if err != nil {
		t.Fatalf("import sample: %v", err)
	}
	if n := drain(t, env); n == 0 {
		t.Fatal("the import queued nothing for the search index")
	}
	for _, tt := range []struct {
		name string
		run  func(t *testing.T, env *apptest.Env)
	}{
		{"finds the sample catalog", testFinds},
		{"suggest", testSuggest},
		{"hostile queries", testHostileQueries},
		{"synonyms", testSynonyms},
		{"archived products leave the index", testArchived},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, env) })
	}
}

// drain delivers every pending outbox message to the search indexer.
func drain(t *testing.T, env *apptest.Env) int {
	t.Helper()
	relay := outbox.NewRelay(env.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	total := 0
	for {
		n, err := relay.RunOnce(context.Background(), env.Server.SearchIndexer.Consumer())
		if err != nil {
			t.Fatalf("drain outbox: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

func get(t *testing.T, env *apptest.Env, path string) (int, search.Result, []byte) {
	t.Helper()
	res := env.Client.Get(path)
	var r search.Result
	if res.Status == http.StatusOK {
		res.JSON(t, &r)
	}
	return res.Status, r, res.Body
}

func testFinds(t *testing.T, env *apptest.Env) {
	status, res, body := get(t, env, "/api/v1/search?q="+url.QueryEscape("nuoc mam phu quoc"))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	if res.Engine != "postgres" || res.Total == 0 || !strings.HasPrefix(res.Hits[0].Name, "Nước mắm Phú Quốc") {
		t.Fatalf("engine %s, total %d, first %+v", res.Engine, res.Total, res.Hits)
	}
	if res.Hits[0].Price <= 0 || res.Hits[0].Unit == "" || res.Hits[0].ProvinceName != "An Giang" ||
		res.Hits[0].Highlights["name"] == "" {
		t.Errorf("hit lacks its variant, province or highlights: %+v", res.Hits[0])
	}
	if len(res.Facets["province"]) == 0 {
		t.Errorf("no province facet: %+v", res.Facets)
	}
	status, res, _ = get(t, env, "/api/v1/search?province=an-giang,ha-noi&stars=4&sort=price_asc&per_page=5")
	if status != http.StatusOK || res.Total == 0 || len(res.Hits) > 5 {
		t.Fatalf("filtered browse: %d, total %d, %d hits", status, res.Total, len(res.Hits))
	}
	for _, h := range res.Hits {
		if (h.Province != "an-giang" && h.Province != "ha-noi") || h.Stars < 4 {
			t.Errorf("hit outside the filters: %s %s %d", h.Name, h.Province, h.Stars)
		}
	}
	status, all, _ := get(t, env, "/api/v1/search?per_page=50")
	status2, res, body := get(t, env, "/api/v1/search?in_stock=true&per_page=50")
	if status != http.StatusOK || status2 != http.StatusOK || res.Total == 0 || res.Total > all.Total {
		t.Fatalf("in stock: %d, total %d of %d: %s", status2, res.Total, all.Total, body)
	}
	for _, h := range res.Hits {
		if !h.InStock {
			t.Errorf("in_stock=true: %s is out of stock", h.Name)
		}
	}
}

func testSuggest(t *testing.T, env *apptest.Env) {
	res := env.Client.Get("/api/v1/search/suggest?q=" + url.QueryEscape("bac giang"))
	if res.Status != http.StatusOK {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	var out struct{ Suggestions []search.Suggestion }
	res.JSON(t, &out)
	var province, vai bool
	for _, s := range out.Suggestions {
		province = province || (s.Kind == "province" && s.Slug == "bac-ninh")
		vai = vai || (s.Kind == "product" && strings.HasPrefix(s.Text, "Vải thiều Lục Ngạn"))
	}
	if !province || !vai {
		t.Errorf("bac giang: want Bắc Ninh and Vải thiều Lục Ngạn, got %+v", out.Suggestions)
	}
}

// testHostileQueries: every hostile input is a 400 or a sane, quick
// answer, never a 500, and never a slow scan.
func testHostileQueries(t *testing.T, env *apptest.Env) {
	// A 10,000-character q does not fit the server's 4 KiB request head
	// (fasthttp answers 431 before any handler runs); the service refuses
	// it at once too.
	long := strings.Repeat("nước mắm ", 1200) // 10,800 characters
	start := time.Now()
	if _, err := env.Server.Search.Search(context.Background(), search.Params{Text: long}); !errors.Is(err, search.ErrQueryTooLong) {
		t.Errorf("10,800 characters: %v", err)
	}
	if took := time.Since(start); took > 10*time.Millisecond {
		t.Errorf("10,800 characters: refused in %s", took)
	}
	long = strings.Repeat("a", 3000)
	tests := []struct {
		name   string
		query  string
		status int
		field  string // a field error expected in the 400
	}{
		{"3,000-character q", "q=" + long, 400, ""},
		{"201 characters", "q=" + strings.Repeat("a", 201), 400, ""},
		{"SQL fragment", "q=" + url.QueryEscape("' OR 1=1; DROP TABLE products; --"), 200, ""},
		{"percent", "q=" + url.QueryEscape("%"), 200, ""},
		{"underscore", "q=" + url.QueryEscape("_"), 200, ""},
		{"like pattern", "q=" + url.QueryEscape("%nuoc_%"), 200, ""},
		{"quotes", "q=" + url.QueryEscape(`"'\`), 200, ""},
		{"tsquery syntax", "q=" + url.QueryEscape("a & !b | c:* <-> (d"), 200, ""},
		{"NUL", "q=%00", 400, "q"}, // refused at the edge, as every parameter
		{"invalid UTF-8", "q=%FF%FEnuoc", 400, ""},
		{"100 one-letter words", "q=" + strings.TrimSpace(strings.Repeat("a+", 100)), 200, ""},
		{"unknown province", "province=atlantis,ha-noi", 400, "province"},
		{"unknown group", "group=weapons", 400, "group"},
		{"unknown certification", "certification=ISO+666", 400, "certification"},
		{"bad stars", "stars=7", 400, "stars"},
		{"stars not a number", "stars=lots", 400, "stars"},
		{"negative price", "min_price=-5", 400, "min_price"},
		{"price range upside down", "min_price=500&max_price=100", 400, "max_price"},
		{"unknown sort", "sort=id;DROP", 400, "sort"},
		{"huge page", "page=99999999999", 400, "page"},
		{"page zero", "page=0", 400, "page"},
		{"huge per_page", "per_page=100000", 400, "per_page"},
		{"last page allowed", "page=100&per_page=50", 200, ""},
		{"bad in_season", "in_season=yes", 400, "in_season"},
		{"bad in_stock", "in_stock=1", 400, "in_stock"},
		{"in_stock false", "in_stock=false", 200, ""},
		{"many provinces", "province=" + strings.Repeat("ha-noi,", 40), 400, "province"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res := env.Client.Get("/api/v1/search?" + tt.query)
			if took := time.Since(start); took > 500*time.Millisecond {
				t.Errorf("took %s", took)
			}
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			if tt.field != "" {
				p := res.Problem(t)
				found := false
				for _, f := range p.Errors {
					found = found || f.Field == tt.field
				}
				if !found {
					t.Errorf("no error for field %s: %+v", tt.field, p)
				}
			}
		})
	}
	// Unknown values are named in the error.
	p := env.Client.Get("/api/v1/search?province=atlantis").Problem(t)
	if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Message, "atlantis") {
		t.Errorf("unknown province not named: %+v", p)
	}
	// Text without a word finds nothing.
	if _, res, _ := get(t, env, "/api/v1/search?q=%25"); res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("q=%%: total %d", res.Total)
	}
	// Suggest too.
	for _, q := range []string{long, "%FF", url.QueryEscape("%_'\\")} {
		res := env.Client.Get("/api/v1/search/suggest?q=" + q)
		if res.Status != 200 && res.Status != 400 {
			t.Errorf("suggest %.20s: status %d", q, res.Status)
		}
	}
	if res := env.Client.Get("/api/v1/search/suggest?q=ca&limit=1000"); res.Status != 400 {
		t.Errorf("suggest limit 1000: status %d", res.Status)
	}
}

func testArchived(t *testing.T, env *apptest.Env) {
	admin := &auth.Principal{Roles: []auth.Role{auth.RoleAdmin}}
	_, res, _ := get(t, env, "/api/v1/search?q="+url.QueryEscape("mãng cầu bà đen"))
	if res.Total == 0 || res.Hits[0].Slug == "" {
		t.Fatalf("mãng cầu bà đen not found before archiving")
	}
	slug := res.Hits[0].Slug
	if _, err := env.Server.Catalog.Archive(context.Background(), admin, slug); err != nil {
		t.Fatal(err)
	}
	if n := drain(t, env); n == 0 {
		t.Fatal("archiving wrote no outbox message for the index")
	}
	_, res, _ = get(t, env, "/api/v1/search?q="+url.QueryEscape("mãng cầu bà đen"))
	for _, h := range res.Hits {
		if h.Slug == slug {
			t.Errorf("archived %s still found", slug)
		}
	}
}

func testSynonyms(t *testing.T, env *apptest.Env) {
	staff := authtest.Only(authtest.TradeStaff, authtest.OtherTradeStaff, authtest.NationalTradeStaff, authtest.Admin)
	ctx := context.Background()
	jsonReq := func(method, path, body string) *http.Request {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	t.Run("roles", func(t *testing.T) {
		authtest.Check(t, env, staff, func(_ *authtest.Fixture, _ authtest.Actor) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/api/v1/search/synonyms", nil)
		})
		authtest.Check(t, env, staff, func(_ *authtest.Fixture, a authtest.Actor) *http.Request {
			return jsonReq(http.MethodPost, "/api/v1/search/synonyms", fmt.Sprintf(`{"terms": ["%s một", "%s hai"]}`, a, a))
		})
		authtest.Check(t, env, staff, func(_ *authtest.Fixture, _ authtest.Actor) *http.Request {
			return jsonReq(http.MethodPut, "/api/v1/search/synonyms/1", `{"terms": ["chè", "trà"]}`)
		})
		authtest.Check(t, env, staff, func(_ *authtest.Fixture, a authtest.Actor) *http.Request {
			g, err := env.Server.Search.CreateSynonyms(ctx, []string{string(a) + " ba", string(a) + " bốn"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return httptest.NewRequest(http.MethodDelete, fmt.Sprintf("/api/v1/search/synonyms/%d", g.ID), nil)
		})
		for _, p := range []string{"/api/v1/search", "/api/v1/search/suggest?q=tra"} {
			authtest.Check(t, env, authtest.Public(), func(_ *authtest.Fixture, _ authtest.Actor) *http.Request {
				return httptest.NewRequest(http.MethodGet, p, nil)
			})
		}
	})
	t.Run("rules and effect", func(t *testing.T) {
		_, res, _ := get(t, env, "/api/v1/search?q=bong")
		for _, h := range res.Hits {
			if strings.HasPrefix(h.Name, "Bưởi") {
				t.Fatalf("bong finds %s before the group exists", h.Name)
			}
		}
		g, err := env.Server.Search.CreateSynonyms(ctx, []string{" Bưởi ", "bòng", "bòng"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(g.Terms) != "[bưởi bòng]" {
			t.Errorf("terms %q, want trimmed, lowercased, deduplicated", g.Terms)
		}
		_, res, _ = get(t, env, "/api/v1/search?q=bong&per_page=50")
		found := false
		for _, h := range res.Hits {
			found = found || strings.HasPrefix(h.Name, "Bưởi")
		}
		if !found {
			t.Errorf("bong after adding bưởi = bòng: no Bưởi in %d hits", res.Total)
		}
		for _, tt := range []struct {
			name  string
			terms []string
		}{
			{"one term", []string{"một"}},
			{"term of another group (folded)", []string{"tra", "chè xanh"}},
			{"too long", []string{strings.Repeat("a", 51), "b"}},
			{"no word", []string{"%%", "b"}},
			{"eleven", strings.Split("a b c d e f g h i j k", " ")},
		} {
			if _, err := env.Server.Search.CreateSynonyms(ctx, tt.terms, nil); err == nil {
				t.Errorf("%s: accepted", tt.name)
			}
		}
		if _, err := env.Server.Search.UpdateSynonyms(ctx, 999999, []string{"x", "y"}, nil); err == nil {
			t.Error("update of an unknown group: no error")
		}
	})
}
