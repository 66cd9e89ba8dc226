package meili

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"htxmarket/internal/search"
)

func TestFilter(t *testing.T) {
	tests := []struct {
		name string
		q    search.Query
		want string
	}{
		{"none", search.Query{Text: "chè", Sort: search.SortPriceAsc, Page: 2, PerPage: 10}, ""},
		{"one province", search.Query{Provinces: []string{"ha-noi"}}, `province IN ["ha-noi"]`},
		{"provinces and groups", search.Query{Provinces: []string{"an-giang", "bac-ninh"}, Groups: []string{"do-uong"}},
			`province IN ["an-giang", "bac-ninh"] AND group IN ["do-uong"]`},
		{"stars", search.Query{MinStars: 4}, `stars >= 4`},
		{"certification with a space and diacritics", search.Query{Certification: "Hữu cơ"}, `certifications = "Hữu cơ"`},
		{"cooperative", search.Query{Cooperative: "htx-ong-meo-vac"}, `cooperative_slug = "htx-ong-meo-vac"`},
		{"price range", search.Query{MinPrice: 60000, MaxPrice: 80000}, `price_vnd >= 60000 AND price_vnd <= 80000`},
		{"in season", search.Query{InSeason: 7}, `(season_months IS EMPTY OR season_months = 7)`},
		{"in stock", search.Query{InStock: true}, `in_stock = true`},
		{"everything, in a fixed order", search.Query{Provinces: []string{"lam-dong"}, Groups: []string{"thuc-pham"}, MinStars: 3,
			Certification: "VietGAP", Cooperative: "htx-a", MinPrice: 1, MaxPrice: 2, InSeason: 12, InStock: true},
			`province IN ["lam-dong"] AND group IN ["thuc-pham"] AND stars >= 3 AND certifications = "VietGAP" AND ` +
				`cooperative_slug = "htx-a" AND price_vnd >= 1 AND price_vnd <= 2 AND (season_months IS EMPTY OR season_months = 12) AND in_stock = true`},
		{"quotes are escaped", search.Query{Cooperative: `htx" OR stars >= 0 OR x = "`},
			`cooperative_slug = "htx\" OR stars >= 0 OR x = \""`},
		{"backslashes are escaped before quotes", search.Query{Provinces: []string{`a\`, `b\"c`}},
			`province IN ["a\\", "b\\\"c"]`},
		{"a trailing backslash cannot eat the closing quote", search.Query{Certification: `VietGAP\`},
			`certifications = "VietGAP\\"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Filter(tt.q); got != tt.want {
				t.Errorf("Filter() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// wantJSON compares a request body with the JSON text want.
func wantJSON(t *testing.T, r recorded, want string) {
	t.Helper()
	var got, w any
	r.JSON(t, &got)
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want: %v", err)
	}
	if diff := cmp.Diff(w, got); diff != "" {
		t.Errorf("%s %s body (-want +got):\n%s", r.Method, r.Path, diff)
	}
}

const wantSettings = `{
	"searchableAttributes": ["name", "keywords", "cooperative_name", "province_name", "former_names", "description"],
	"filterableAttributes": ["province", "group", "stars", "certifications", "cooperative_slug", "price_vnd", "season_months", "in_stock", "toned_keys"],
	"sortableAttributes": ["price_vnd", "created_at", "stars"],
	"rankingRules": ["words", "typo", "sort", "proximity", "attribute", "exactness"],
	"typoTolerance": {"enabled": true, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8},
		"disableOnWords": [], "disableOnAttributes": [], "disableOnNumbers": true},
	"pagination": {"maxTotalHits": 10000},
	"faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "count"}}
}`

func TestEnsureSettings(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	// The index exists already: that is fine.
	f.failTask["POST /indexes"] = "index_already_exists"
	if err := e.EnsureSettings(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"POST /indexes", "PATCH /indexes/products/settings"}, f.lines()); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
	create := f.last(t, "POST", "/indexes")
	wantJSON(t, create, `{"uid": "products", "primaryKey": "id"}`)
	if create.Auth != "Bearer test-key" {
		t.Errorf("Authorization %q", create.Auth)
	}
	// No synonyms: they are staff's data, not settings.
	wantJSON(t, f.last(t, "PATCH", "/indexes/products/settings"), wantSettings)
}

func TestEnsureSettingsFailure(t *testing.T) {
	f := newFake(t)
	f.failTask["PATCH /indexes/products/settings"] = "invalid_settings_ranking_rules"
	err := f.engine(t).EnsureSettings(context.Background())
	if err == nil || !strings.Contains(err.Error(), "invalid_settings_ranking_rules") || errors.Is(err, search.ErrEngineDown) {
		t.Fatalf("err = %v, want the task's error, not ErrEngineDown", err)
	}
}

func doc(n byte) search.Document {
	return search.Document{
		ID: uuid.UUID{15: n}, Slug: "che-shan", Name: "Chè Shan tuyết", Keywords: []string{"chè"},
		Description: "Chè cổ thụ.", CooperativeID: uuid.UUID{0: 1, 15: n}, CooperativeSlug: "htx-che", CooperativeName: "HTX Chè",
		Province: "tuyen-quang", ProvinceName: "Tuyên Quang", FormerNames: []string{"Hà Giang"},
		Group: "do-uong", Stars: 5, Price: 250000, Unit: "hộp 200g", InStock: true,
		CreatedAt: time.Date(2025, 3, 5, 8, 0, 0, 123456789, time.UTC),
	}
}

func TestUpsertSendsDocuments(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	ctx := context.Background()
	if err := e.Upsert(ctx, []search.Document{doc(1)}); err != nil {
		t.Fatal(err)
	}
	if err := e.Upsert(ctx, []search.Document{doc(2)}); err != nil {
		t.Fatal(err)
	}
	if err := e.Upsert(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// The settings are made sure of once, before the first write.
	want := []string{"POST /indexes", "PATCH /indexes/products/settings", "POST /indexes/products/documents", "POST /indexes/products/documents"}
	if diff := cmp.Diff(want, f.lines()); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
	r := f.last(t, "POST", "/indexes/products/documents")
	if r.Query != "primaryKey=id" {
		t.Errorf("query %q, want primaryKey=id", r.Query)
	}
	// Lists are never null (season_months IS EMPTY must match), created_at
	// is Unix seconds for sorting, the exact time rides along.
	wantJSON(t, r, `[{
		"id": "00000000-0000-0000-0000-000000000002", "slug": "che-shan", "name": "Chè Shan tuyết",
		"keywords": ["chè"], "description": "Chè cổ thụ.",
		"cooperative_id": "01000000-0000-0000-0000-000000000002", "cooperative_slug": "htx-che", "cooperative_name": "HTX Chè",
		"province": "tuyen-quang", "province_name": "Tuyên Quang", "former_names": ["Hà Giang"],
		"group": "do-uong", "stars": 5, "certifications": [], "season_months": [],
		"price_vnd": 250000, "unit": "hộp 200g", "in_stock": true,
		"created_at": 1741161600, "created": "2025-03-05T08:00:00.123456789Z",
		"toned_keys": ["t6368c3a8", "t747579e1babf74", "t747579c3aa6e", "t68c3a0"]
	}]`)
}

func TestDocumentRoundTrip(t *testing.T) {
	d := doc(3)
	d.Certifications, d.SeasonMonths = []string{}, []int{}
	if diff := cmp.Diff(d, toDocument(d).toSearch()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestDelete(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	if err := e.Delete(context.Background(), []uuid.UUID{{15: 1}, {15: 2}}); err != nil {
		t.Fatal(err)
	}
	wantJSON(t, f.last(t, "POST", "/indexes/products/documents/delete-batch"),
		`["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"]`)
}

func TestSetSynonymsExpandsGroups(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	err := e.SetSynonyms(context.Background(), []search.SynonymGroup{
		{ID: 1, Terms: []string{"Chè", "trà", " chè "}},
		{ID: 2, Terms: []string{"dứa", "khóm", "thơm"}},
		{ID: 3, Terms: []string{"cà  phê", "cafe"}},
		{ID: 4, Terms: []string{"trà", "tea"}}, // trà in two groups: the union
		{ID: 5, Terms: []string{"lẻ loi"}},     // one term: nothing to say
	})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, f.last(t, "PUT", "/indexes/products/settings/synonyms"), `{
		"chè": ["trà"], "trà": ["chè", "tea"], "tea": ["trà"],
		"dứa": ["khóm", "thơm"], "khóm": ["dứa", "thơm"], "thơm": ["dứa", "khóm"],
		"cà phê": ["cafe"], "cafe": ["cà phê"]
	}`)
	// Replacing with nothing clears them.
	if err := e.SetSynonyms(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	wantJSON(t, f.last(t, "PUT", "/indexes/products/settings/synonyms"), `{}`)
}

func TestSearch(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	f.multi = `{"results": [{
		"indexUid": "products",
		"hits": [{
			"id": "00000000-0000-0000-0000-000000000001", "slug": "che-shan", "name": "Chè <Shan> tuyết",
			"keywords": ["chè"], "description": "Chè cổ thụ.", "cooperative_id": "01000000-0000-0000-0000-000000000001",
			"cooperative_slug": "htx-che", "cooperative_name": "HTX Chè", "province": "tuyen-quang",
			"province_name": "Tuyên Quang", "former_names": ["Hà Giang"], "group": "do-uong", "stars": 5,
			"certifications": [], "season_months": [], "price_vnd": 250000, "unit": "hộp 200g", "in_stock": true,
			"created_at": 1741161600, "created": "2025-03-05T08:00:00.123456789Z",
			"_formatted": {"name": "\ue000Chè\ue001 <Shan> tuyết", "description": "…\ue000Chè\ue001 cổ thụ.",
				"cooperative_name": "HTX Chè & Co", "keywords": ["\ue000chè\ue001"]}
		}],
		"query": "chè", "processingTimeMs": 1, "hitsPerPage": 10, "page": 2, "totalPages": 5, "totalHits": 41,
		"facetDistribution": {"certifications": {}, "group": {"do-uong": 41},
			"cooperative_slug": {"htx-che": 41, "htx-khac": 2, "htx-xa": 1}}
	}, {
		"indexUid": "products", "hits": [], "query": "chè", "processingTimeMs": 1, "hitsPerPage": 0, "page": 1,
		"totalPages": 0, "totalHits": 60,
		"facetDistribution": {"province": {"tuyen-quang": 41, "an-giang": 3, "bac-ninh": 3}}
	}, {
		"indexUid": "products", "hits": [], "query": "chè", "processingTimeMs": 1, "hitsPerPage": 0, "page": 1,
		"totalPages": 0, "totalHits": 45,
		"facetDistribution": {"stars": {"5": 30, "4": 11, "3": 4}}
	}, {
		"indexUid": "products", "query": "chè", "processingTimeMs": 1, "limit": 200, "offset": 0, "estimatedTotalHits": 2,
		"hits": [{"cooperative_slug": "htx-khac", "cooperative_name": "HTX Khác"},
			{"cooperative_slug": "htx-che", "cooperative_name": "HTX Chè"}]
	}]}`
	q := search.Query{Text: "chè", Provinces: []string{"tuyen-quang"}, MinStars: 4, Sort: search.SortPriceAsc, Page: 2, PerPage: 10}
	res, err := e.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	// What was asked, in one request, after reading the synonyms once
	// (the exact-form filter of a word typed with tones needs them).
	if diff := cmp.Diff([]string{"GET /indexes/products/settings/synonyms", "POST /multi-search"}, f.lines()); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
	// The hits with the facets of the filters not set; then each facet of
	// a filter set, counted without that filter, without hits; then one
	// hit per cooperative for the cooperative facet's names. Each keeps
	// chè, typed with its tone, to that form (t6368c3a8 is its key).
	wantJSON(t, f.last(t, "POST", "/multi-search"), `{"queries": [{
		"indexUid": "products", "q": "chè", "filter": "province IN [\"tuyen-quang\"] AND stars >= 4 AND toned_keys IN [\"t6368c3a8\"]",
		"sort": ["price_vnd:asc", "created_at:desc"], "page": 2, "hitsPerPage": 10,
		"facets": ["group", "certifications", "cooperative_slug"],
		"attributesToHighlight": ["name", "description", "cooperative_name"],
		"highlightPreTag": "\ue000", "highlightPostTag": "\ue001",
		"attributesToCrop": ["description"], "cropLength": 24, "cropMarker": "…",
		"matchingStrategy": "all", "hybrid": null
	}, {
		"indexUid": "products", "q": "chè", "filter": "stars >= 4 AND toned_keys IN [\"t6368c3a8\"]", "hitsPerPage": 0,
		"facets": ["province"], "matchingStrategy": "all", "hybrid": null
	}, {
		"indexUid": "products", "q": "chè", "filter": "province IN [\"tuyen-quang\"] AND toned_keys IN [\"t6368c3a8\"]", "hitsPerPage": 0,
		"facets": ["stars"], "matchingStrategy": "all", "hybrid": null
	}, {
		"indexUid": "products", "q": "chè", "filter": "province IN [\"tuyen-quang\"] AND stars >= 4 AND toned_keys IN [\"t6368c3a8\"]",
		"limit": 200, "distinct": "cooperative_slug", "attributesToRetrieve": ["cooperative_slug", "cooperative_name"],
		"matchingStrategy": "all", "hybrid": null
	}]}`)
	// What came back.
	want := search.Result{
		Hits: []search.Hit{{Document: doc(1), Match: search.MatchExact, Highlights: map[string]string{
			"name":        "<mark>Chè</mark> &lt;Shan&gt; tuyết",
			"description": "…<mark>Chè</mark> cổ thụ.",
		}}},
		Total: 41, TotalExact: true, Page: 2, PerPage: 10, Engine: "meili",
		Facets: search.Facets{
			"province":      {{Value: "tuyen-quang", Count: 41}, {Value: "an-giang", Count: 3}, {Value: "bac-ninh", Count: 3}},
			"group":         {{Value: "do-uong", Count: 41}},
			"stars":         {{Value: "5", Count: 30}, {Value: "4", Count: 11}, {Value: "3", Count: 4}},
			"certification": {},
			// Named by the page's hits and the label query; a cooperative
			// neither names keeps its slug alone.
			"cooperative": {{Value: "htx-che", Count: 41, Label: "HTX Chè"}, {Value: "htx-khac", Count: 2, Label: "HTX Khác"},
				{Value: "htx-xa", Count: 1}},
		},
	}
	want.Hits[0].Name = "Chè <Shan> tuyết"
	want.Hits[0].Certifications, want.Hits[0].SeasonMonths = []string{}, []int{}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
}

func TestSearchWithoutFilters(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	f.multi = `{"results": [{"indexUid": "products", "hits": [], "totalHits": 0, "page": 1, "hitsPerPage": 20, "totalPages": 0},
		{"indexUid": "products", "hits": [], "limit": 200, "offset": 0, "estimatedTotalHits": 0}]}`
	res, err := e.Search(context.Background(), search.Query{Text: "chè", Page: 1, PerPage: 20})
	if err != nil {
		t.Fatal(err)
	}
	// Every facet comes with the hits; the names of cooperatives come
	// from the query without a filter.
	var body struct{ Queries []map[string]any }
	f.last(t, "POST", "/multi-search").JSON(t, &body)
	if len(body.Queries) != 2 {
		t.Fatalf("%d queries, want 2: %+v", len(body.Queries), body.Queries)
	}
	if _, ok := body.Queries[1]["filter"]; ok || body.Queries[1]["distinct"] != "cooperative_slug" {
		t.Errorf("label query %+v", body.Queries[1])
	}
	if diff := cmp.Diff([]any{"province", "group", "stars", "certifications", "cooperative_slug"}, body.Queries[0]["facets"]); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	if res.Total != 0 || len(res.Hits) != 0 || len(res.Facets) != 5 {
		t.Errorf("result %+v", res)
	}

	// An answer with a missing result is an error, not a partial result.
	f.multi = `{"results": []}`
	if _, err := e.Search(context.Background(), search.Query{Text: "chè", Page: 1, PerPage: 20}); err == nil {
		t.Error("no results: want an error")
	}
}

func TestSearchCooperativeChosen(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	f.multi = `{"results": [
		{"indexUid": "products", "hits": [], "totalHits": 0, "page": 1, "hitsPerPage": 20, "totalPages": 0},
		{"indexUid": "products", "hits": [], "totalHits": 3, "page": 1, "hitsPerPage": 0, "totalPages": 0,
			"facetDistribution": {"cooperative_slug": {"htx-a": 2, "htx-b": 1}}},
		{"indexUid": "products", "hits": [{"cooperative_slug": "htx-b", "cooperative_name": "HTX Bê"},
			{"cooperative_slug": "htx-a", "cooperative_name": "HTX A"}]}
	]}`
	q := search.Query{Cooperative: "htx-a", MinPrice: 1000, Page: 1, PerPage: 20}
	res, err := e.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Queries []map[string]any }
	f.last(t, "POST", "/multi-search").JSON(t, &body)
	if len(body.Queries) != 3 {
		t.Fatalf("%d queries, want 3: %+v", len(body.Queries), body.Queries)
	}
	// The facet and its names are of the cooperatives with such prices,
	// whichever is chosen.
	for i, want := range []string{`cooperative_slug = "htx-a" AND price_vnd >= 1000`, `price_vnd >= 1000`, `price_vnd >= 1000`} {
		if got := body.Queries[i]["filter"]; got != want {
			t.Errorf("query %d: filter %v, want %s", i, got, want)
		}
	}
	want := []search.FacetValue{{Value: "htx-a", Count: 2, Label: "HTX A"}, {Value: "htx-b", Count: 1, Label: "HTX Bê"}}
	if diff := cmp.Diff(want, res.Facets["cooperative"]); diff != "" {
		t.Errorf("cooperative facet (-want +got):\n%s", diff)
	}
	if len(res.Facets["province"]) != 0 {
		t.Errorf("province facet %+v, want the main query's (none)", res.Facets["province"])
	}
	if diff := cmp.Diff([]any{"province", "group", "stars", "certifications"}, body.Queries[0]["facets"]); diff != "" {
		t.Errorf("main query's facets (-want +got):\n%s", diff)
	}
}

func TestSearchWithoutWordsAsksNothing(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	for _, text := range []string{"%", "_", `"\`, "&|!", "  "} {
		res, err := e.Search(context.Background(), search.Query{Text: text, Page: 1, PerPage: 20})
		if err != nil || len(res.Hits) != 0 || res.Total != 0 {
			t.Errorf("q=%q: %v %+v", text, err, res)
		}
		if s, err := e.Suggest(context.Background(), text, 5); err != nil || len(s) != 0 {
			t.Errorf("suggest %q: %v %+v", text, err, s)
		}
	}
	if len(f.requests()) != 0 {
		t.Errorf("requests sent: %v", f.lines())
	}
}

func TestUnavailableIsEngineDown(t *testing.T) {
	tests := []struct {
		name   string
		answer fakeAnswer
		down   bool
	}{
		{"503", fakeAnswer{503, `{"message":"overloaded","code":"internal","type":"internal"}`}, true},
		{"502 from a proxy", fakeAnswer{502, `<html>Bad Gateway</html>`}, true},
		{"no index yet", fakeAnswer{404, `{"message":"Index products not found.","code":"index_not_found","type":"invalid_request"}`}, true},
		{"bad filter", fakeAnswer{400, `{"message":"bad","code":"invalid_search_filter","type":"invalid_request"}`}, false},
		{"bad key", fakeAnswer{403, `{"message":"bad key","code":"invalid_api_key","type":"auth"}`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.status["/multi-search"] = tt.answer
			_, err := f.engine(t).Search(context.Background(), search.Query{Text: "che", Page: 1, PerPage: 20})
			if err == nil || errors.Is(err, search.ErrEngineDown) != tt.down {
				t.Fatalf("err = %v, want ErrEngineDown: %v", err, tt.down)
			}
			if n := len(f.requests()); n != 1 {
				t.Errorf("%d requests, want 1 (no client retries)", n)
			}
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		f := newFake(t)
		e := f.engine(t)
		f.srv.Close()
		if _, err := e.Search(context.Background(), search.Query{Text: "chè"}); !errors.Is(err, search.ErrEngineDown) {
			t.Fatalf("search: %v", err)
		}
		if _, err := e.Suggest(context.Background(), "ch", 5); !errors.Is(err, search.ErrEngineDown) {
			t.Fatalf("suggest: %v", err)
		}
		if err := e.Upsert(context.Background(), []search.Document{doc(1)}); !errors.Is(err, search.ErrEngineDown) {
			t.Fatalf("upsert: %v", err)
		}
	})

	t.Run("too slow", func(t *testing.T) {
		slow := make(chan struct{})
		srv := newFake(t)
		srv.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-slow })
		t.Cleanup(func() { close(slow) })
		e := srv.engine(t)
		e.timeout = 50 * time.Millisecond
		if _, err := e.Search(context.Background(), search.Query{Text: "chè"}); !errors.Is(err, search.ErrEngineDown) {
			t.Fatalf("search: %v", err)
		}
	})
}

func TestFailedTaskIsAnError(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	f.failTask["POST /indexes/products/documents"] = "invalid_document_id"
	err := e.Upsert(context.Background(), []search.Document{doc(1)})
	if err == nil || !strings.Contains(err.Error(), "invalid_document_id") || errors.Is(err, search.ErrEngineDown) {
		t.Fatalf("err = %v", err)
	}
}

func TestSuggest(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	f.multi = `{"results": [
		{"indexUid": "products", "hits": [
			{"name": "Vải thiều Lục Ngạn", "slug": "vai-thieu", "province_name": "Bắc Ninh"},
			{"name": "Vải sấy", "slug": "vai-say", "province_name": "Hưng Yên"},
			{"name": "Vải lụa", "slug": "vai-lua", "province_name": "Hà Nội"}]},
		{"indexUid": "products", "hits": [
			{"cooperative_name": "HTX Vải thiều", "cooperative_slug": "htx-vai", "province_name": "Bắc Ninh"}]},
		{"indexUid": "products", "hits": [
			{"province_name": "Bắc Ninh", "province": "bac-ninh"}, {"province_name": "Hà Nội", "province": "ha-noi"}]}
	]}`
	got, err := e.Suggest(context.Background(), " vai ", 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []search.Suggestion{
		{Kind: "province", Text: "Bắc Ninh", Slug: "bac-ninh"},
		{Kind: "cooperative", Text: "HTX Vải thiều", Slug: "htx-vai", Extra: "Bắc Ninh"},
		{Kind: "product", Text: "Vải thiều Lục Ngạn", Slug: "vai-thieu", Extra: "Bắc Ninh"},
		{Kind: "product", Text: "Vải sấy", Slug: "vai-say", Extra: "Hưng Yên"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suggestions (-want +got):\n%s", diff)
	}
	wantJSON(t, f.last(t, "POST", "/multi-search"), `{"queries": [
		{"indexUid": "products", "q": "vai", "limit": 4, "matchingStrategy": "all", "hybrid": null,
			"attributesToRetrieve": ["name", "slug", "province_name"]},
		{"indexUid": "products", "q": "vai", "limit": 4, "matchingStrategy": "all", "hybrid": null,
			"attributesToSearchOn": ["cooperative_name"], "distinct": "cooperative_slug",
			"attributesToRetrieve": ["cooperative_name", "cooperative_slug", "province_name"]},
		{"indexUid": "products", "q": "vai", "limit": 4, "matchingStrategy": "all", "hybrid": null,
			"attributesToSearchOn": ["province_name", "former_names"], "distinct": "province",
			"attributesToRetrieve": ["province_name", "province"]}
	]}`)
}

func TestMergeSuggestions(t *testing.T) {
	s := func(kind string, n int) []search.Suggestion {
		out := make([]search.Suggestion, n)
		for i := range out {
			out[i] = search.Suggestion{Kind: kind, Slug: kind + string(rune('a'+i))}
		}
		return out
	}
	kinds := func(got []search.Suggestion) string {
		var b strings.Builder
		for _, g := range got {
			b.WriteString(g.Slug + " ")
		}
		return strings.TrimSpace(b.String())
	}
	tests := []struct {
		name                       string
		provinces, coops, products int
		limit                      int
		want                       string
	}{
		{"all kinds", 2, 3, 10, 5, "provincea coopa coopb producta productb"},
		{"few products: the rest go back", 2, 4, 1, 6, "provincea coopa coopb producta coopc coopd"},
		{"limit below the reserved places", 1, 2, 5, 2, "provincea coopa"},
		{"nothing", 0, 0, 0, 8, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mergeSuggestions(s("province", tt.provinces), s("coop", tt.coops), s("product", tt.products), tt.limit)
			if kinds(got) != tt.want {
				t.Errorf("got %q, want %q", kinds(got), tt.want)
			}
		})
	}
}

func TestRebuild(t *testing.T) {
	f := newFake(t)
	e := f.engine(t)
	f.synonyms = `{"chè": ["trà"], "trà": ["chè"]}`
	n := 0
	docs := func(yield func(search.Document) error) error {
		for i := range 1500 {
			n++
			if err := yield(doc(byte(i))); err != nil {
				return err
			}
		}
		return nil
	}
	if err := e.Rebuild(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	const tmp = "products_tmp_1750000000000"
	want := []string{
		"POST /indexes", "PATCH /indexes/products/settings", // the live index exists, with its settings
		"GET /indexes/products/settings/synonyms", // staff's synonyms are carried over
		"POST /indexes", "PATCH /indexes/" + tmp + "/settings",
		"POST /indexes/" + tmp + "/documents", "POST /indexes/" + tmp + "/documents", // 1000 + 500
		"POST /swap-indexes",
		"DELETE /indexes/" + tmp, // now the old index
	}
	if diff := cmp.Diff(want, f.lines()); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
	reqs := f.requests()
	wantJSON(t, reqs[3], `{"uid": "`+tmp+`", "primaryKey": "id"}`)
	var s map[string]any
	reqs[4].JSON(t, &s)
	if diff := cmp.Diff(map[string]any{"chè": []any{"trà"}, "trà": []any{"chè"}}, s["synonyms"]); diff != "" {
		t.Errorf("synonyms of the new index (-want +got):\n%s", diff)
	}
	var b1, b2 []document
	reqs[5].JSON(t, &b1)
	reqs[6].JSON(t, &b2)
	if len(b1) != 1000 || len(b2) != 500 || n != 1500 {
		t.Errorf("batches of %d and %d from %d documents", len(b1), len(b2), n)
	}
	wantJSON(t, reqs[7], `[{"indexes": ["products", "`+tmp+`"]}]`)
	if reqs[7].Auth != "Bearer test-key" {
		t.Errorf("swap Authorization %q", reqs[7].Auth)
	}
}

func TestRebuildFailureKeepsTheLiveIndex(t *testing.T) {
	const tmp = "products_tmp_1750000000000"
	tests := []struct {
		name string
		fail func(f *fakeMeili)
		docs error
	}{
		{"a batch is refused", func(f *fakeMeili) { f.failTask["POST /indexes/"+tmp+"/documents"] = "invalid_document_fields" }, nil},
		{"reading the documents fails", func(*fakeMeili) {}, errors.New("db gone")},
		{"the swap is refused", func(f *fakeMeili) {
			f.status["/swap-indexes"] = fakeAnswer{400, `{"code":"invalid_swap_indexes","message":"no"}`}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			e := f.engine(t)
			tt.fail(f)
			err := e.Rebuild(context.Background(), func(yield func(search.Document) error) error {
				if err := yield(doc(1)); err != nil {
					return err
				}
				return tt.docs
			})
			if err == nil {
				t.Fatal("want an error")
			}
			lines := f.lines()
			if tt.name != "the swap is refused" && strings.Contains(strings.Join(lines, ","), "swap") {
				t.Errorf("swapped after a failure: %v", lines)
			}
			if last := lines[len(lines)-1]; last != "DELETE /indexes/"+tmp {
				t.Errorf("last request %q, want the new index deleted: %v", last, lines)
			}
		})
	}
}
