package pgsearch_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
)

// Suggestions walk the best keys of the prefix's bucket and fall back to
// the prefix's range when the walk finds too few (search_suggest_keys,
// migration 00031). Both ways must give the exact best products: 300
// well-ranked "Nước mắm" fill the walk of bucket "nu", and five poorly
// ranked "Nụ tầm xuân" are found only by the fallback.
func TestSuggestBestOfACrowdedBucket(t *testing.T) {
	e := pgsearch.New(dbtest.New(t), pgsearch.WithResultCache(0, 0))
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []search.Document
	doc := func(name string, stars int, inStock bool, at time.Time) search.Document {
		return search.Document{ID: uuid.New(), Slug: fmt.Sprintf("sp-%d", len(docs)), Name: name, Keywords: []string{"đặc sản"},
			CooperativeID: uuid.New(), CooperativeSlug: "htx-bien-xanh", CooperativeName: "HTX Biển Xanh",
			Province: "da-nang", ProvinceName: "Đà Nẵng", Group: "thuc-pham", Stars: stars, InStock: inStock,
			Price: 50_000, Unit: "chai", CreatedAt: at}
	}
	for i := range 300 { // newer is better: the static rank counts recency
		docs = append(docs, doc(fmt.Sprintf("Nước mắm Nam Ô %d", i), 5, true, base.Add(time.Duration(i)*time.Hour)))
	}
	var rare []string
	for i := range 5 {
		docs = append(docs, doc(fmt.Sprintf("Nụ tầm xuân %d", i), 0, false, base.Add(-time.Duration(i+1)*time.Hour)))
		rare = append(rare, fmt.Sprintf("Nụ tầm xuân %d", i))
	}
	if err := e.Upsert(ctx, docs); err != nil {
		t.Fatal(err)
	}
	names := func(prefix string) []string {
		t.Helper()
		got, err := e.Suggest(ctx, prefix, 8)
		if err != nil {
			t.Fatalf("suggest %q: %v", prefix, err)
		}
		var out []string
		for _, s := range got {
			if s.Kind == "product" {
				out = append(out, s.Text)
			}
		}
		return out
	}
	var newest []string
	for i := 299; i > 291; i-- {
		newest = append(newest, fmt.Sprintf("Nước mắm Nam Ô %d", i))
	}
	for _, prefix := range []string{"n", "nu", "nuoc", "nước mắm nam"} {
		if got := names(prefix); !slices.Equal(got, newest) {
			t.Errorf("suggest %q: %q, want the 8 best-ranked %q", prefix, got, newest)
		}
	}
	got := names("nu t")
	slices.Sort(got)
	if !slices.Equal(got, rare) {
		t.Errorf(`suggest "nu t": %q, want the five found past the walk %q`, got, rare)
	}
	if got := names("nu tam xuan 3"); !slices.Equal(got, []string{"Nụ tầm xuân 3"}) {
		t.Errorf(`suggest "nu tam xuan 3": %q`, got)
	}
}

// A province is suggested while it has products: a product that moves
// takes its province's suggestion along, and the last one deleted takes
// it away; a product changed in place keeps it.
func TestProvinceSuggestionsFollowTheirProducts(t *testing.T) {
	e := pgsearch.New(dbtest.New(t), pgsearch.WithResultCache(0, 0))
	ctx := context.Background()
	doc := search.Document{ID: uuid.New(), Slug: "che-tan-cuong", Name: "Chè Tân Cương", CooperativeID: uuid.New(),
		CooperativeSlug: "htx-tan-cuong", CooperativeName: "HTX Chè Tân Cương", Province: "thai-nguyen",
		ProvinceName: "Thái Nguyên", FormerNames: []string{"Bắc Kạn"}, Group: "do-uong", Price: 90_000, Unit: "gói",
		CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	provinces := func(prefix string) []string {
		t.Helper()
		got, err := e.Suggest(ctx, prefix, 8)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range got {
			if s.Kind == "province" {
				out = append(out, s.Slug+" "+s.Text)
			}
		}
		return out
	}
	upsert := func(d search.Document) {
		t.Helper()
		if err := e.Upsert(ctx, []search.Document{d}); err != nil {
			t.Fatal(err)
		}
	}
	upsert(doc)
	if got := provinces("bac kan"); !slices.Equal(got, []string{"thai-nguyen Thái Nguyên"}) {
		t.Errorf("bac kan: %q", got)
	}
	doc.Price = 95_000
	upsert(doc)
	if got := provinces("thai ng"); !slices.Equal(got, []string{"thai-nguyen Thái Nguyên"}) {
		t.Errorf("changed in place: %q", got)
	}
	doc.Province, doc.ProvinceName, doc.FormerNames = "phu-tho", "Phú Thọ", []string{"Vĩnh Phúc"}
	upsert(doc)
	if got := provinces("thai ng"); len(got) != 0 {
		t.Errorf("moved away, thai ng still suggests %q", got)
	}
	if got := provinces("vinh ph"); !slices.Equal(got, []string{"phu-tho Phú Thọ"}) {
		t.Errorf("moved in, vinh ph: %q", got)
	}
	if err := e.Delete(ctx, []uuid.UUID{doc.ID}); err != nil {
		t.Fatal(err)
	}
	if got := provinces("phu th"); len(got) != 0 {
		t.Errorf("deleted, phu th still suggests %q", got)
	}
}
