package pgsearch

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/search"
	"htxmarket/internal/search/searchtest"
)

// TestVocabularyForgetsWordsOfGoneProducts is issue #16's fourth fault:
// once every product with the word "suon" (Sườn heo) is gone, "suon" is
// a misspelling like any other and is corrected to "suong" (Chè sương
// sáo); compaction drops the word from the vocabulary.
func TestVocabularyForgetsWordsOfGoneProducts(t *testing.T) {
	ctx := context.Background()
	e := New(dbtest.New(t), WithResultCache(0, 0))
	base := searchtest.Documents()[0]
	live, gone := base, base
	live.ID, live.Slug, live.Name, live.Keywords, live.Description = uuid.New(), "che-suong-sao", "Chè sương sáo", nil, ""
	gone.ID, gone.Slug, gone.Name, gone.Keywords, gone.Description = uuid.New(), "suon-heo", "Sườn heo", nil, ""
	if err := e.Upsert(ctx, []search.Document{live, gone}); err != nil {
		t.Fatal(err)
	}
	q := search.Query{Text: "suon sao", Sort: search.SortRelevance, Page: 1, PerPage: 10}
	if res, err := e.Search(ctx, q); err != nil || res.Total != 0 || res.Loose != 0 {
		t.Fatalf("with Sườn heo indexed: %d+%d hits, err %v; want none (suon is a word)", res.Total, res.Loose, err)
	}
	if err := e.Delete(ctx, []uuid.UUID{gone.ID}); err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	// suon is now a misspelling of suong: a loose match.
	if res.Total != 0 || res.Loose != 1 || res.Hits[0].ID != live.ID || res.Hits[0].Match != search.MatchTypo {
		t.Errorf("suon sao after Sườn heo is gone: %d+%d hits, want Chè sương sáo as a typo: %+v", res.Total, res.Loose, res.Hits)
	}

	ix, err := e.current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.compact().dict.lookup("heo"); ok {
		t.Error("a compacted index still knows heo")
	}
}

// TestSyncAppliesAllOrNothing: a row the index cannot read fails the sync
// and leaves the index as it was, the rows before it included, with facet
// orders as long as their value lists.
func TestSyncAppliesAllOrNothing(t *testing.T) {
	_, _, ix := fixture(t)
	first := &ix.docs[0]
	good := docRowOf(ix, first)
	good.Version = ix.version + 1
	good.Price = first.price + 1000
	good.Province = "province-new-to-the-index"
	bad := good
	bad.ID, bad.Version, bad.TSV = uuid.New(), ix.version+2, "'broken"
	version, price := ix.version, first.price

	if _, err := ix.apply(nil, []docRow{good, bad}); err == nil {
		t.Fatal("a row with a broken vector was applied")
	}
	if ix.version != version {
		t.Errorf("version moved to %d, want %d", ix.version, version)
	}
	if d := &ix.docs[ix.byID[good.ID]]; d.price != price {
		t.Errorf("the row before the broken one was applied: price %d, want %d", d.price, price)
	}
	if len(ix.provs.order.place) != len(ix.provs.values) {
		t.Errorf("province order has %d places for %d values", len(ix.provs.order.place), len(ix.provs.values))
	}
}
