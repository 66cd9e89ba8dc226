package pgsearch_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
	"htxmarket/internal/search/searchtest"
)

// instances returns a writing engine and another instance on the same
// database that reads what changed before every search.
func instances(t *testing.T) (d *sqlx.DB, writer, reader *pgsearch.Engine) {
	t.Helper()
	d = dbtest.New(t)
	writer = pgsearch.New(d, pgsearch.WithResultCache(0, 0))
	reader = pgsearch.New(d, pgsearch.WithResultCache(0, 0), pgsearch.WithRefresh(0))
	ctx := context.Background()
	for _, e := range []*pgsearch.Engine{writer, reader} {
		if err := e.SetSynonyms(ctx, searchtest.Synonyms()); err != nil {
			t.Fatal(err)
		}
	}
	return d, writer, reader
}

// found returns the IDs and names of the hits of q, and the total.
func found(t *testing.T, e *pgsearch.Engine, q search.Query) (map[uuid.UUID]string, int) {
	t.Helper()
	q.Page, q.PerPage = 1, 50
	if q.Sort == "" {
		q.Sort = search.SortRelevance
	}
	res, err := e.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	// What the whole text finds exactly: no word left out, no loose hit.
	out := map[uuid.UUID]string{}
	for _, h := range res.Hits {
		if len(res.Dropped) == 0 && (h.Match == "" || h.Match == search.MatchExact) {
			out[h.ID] = h.Name
		}
	}
	return out, res.Total
}

// Another instance sees a write, a rename, a price change, a deletion and
// a rebuild once it syncs.
func TestAnotherInstanceSeesEveryChange(t *testing.T) {
	_, writer, reader := instances(t)
	ctx := context.Background()
	docs := searchtest.Documents()
	if _, n := found(t, reader, search.Query{}); n != 0 {
		t.Fatalf("empty index: total %d", n)
	}
	if err := writer.Upsert(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if _, n := found(t, reader, search.Query{}); n != len(docs) {
		t.Errorf("after upsert: total %d, want %d", n, len(docs))
	}
	// "cafe" is the phrase cà phê: the reader's phrase cache must follow.
	before, _ := found(t, reader, search.Query{Text: "cafe"})
	renamed := docs[1]
	renamed.Name, renamed.Keywords, renamed.Description, renamed.Price = "Cà phê chồn Phan Thiết", nil, "Cà phê chồn.", 777_000
	if err := writer.Upsert(ctx, []search.Document{renamed}); err != nil {
		t.Fatal(err)
	}
	after, _ := found(t, reader, search.Query{Text: "cafe"})
	if _, ok := before[renamed.ID]; ok {
		t.Fatalf("found by cafe before the rename: %v", before)
	}
	if after[renamed.ID] != renamed.Name {
		t.Errorf("after rename: cafe finds %v, want %q among them", after, renamed.Name)
	}
	if got, _ := found(t, reader, search.Query{Text: "nuoc mam"}); got[renamed.ID] != "" {
		t.Errorf("the old name still finds it: %v", got)
	}
	res, err := reader.Search(ctx, search.Query{Text: "ca phe chon", Page: 1, PerPage: 5, Sort: search.SortRelevance})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].Price != 777_000 {
		t.Errorf("the hit's document is not the new version: %v %+v", err, res.Hits)
	}
	if err := writer.Delete(ctx, []uuid.UUID{docs[0].ID}); err != nil {
		t.Fatal(err)
	}
	if got, _ := found(t, reader, search.Query{Text: "nuoc mam phu quoc"}); len(got) != 0 {
		t.Errorf("after delete: %v", got)
	}
	keep := docs[2:5]
	if err := writer.Rebuild(ctx, func(yield func(search.Document) error) error {
		for _, d := range keep {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got, n := found(t, reader, search.Query{})
	want := map[uuid.UUID]string{}
	for _, d := range keep {
		want[d.ID] = d.Name
	}
	if diff := cmp.Diff(want, got); diff != "" || n != len(keep) {
		t.Errorf("after rebuild, total %d (-want +got):\n%s", n, diff)
	}
}

// An instance behind tombstones that were pruned loads the whole index
// again, so that it does not keep a document deleted meanwhile.
func TestAnInstanceBehindPrunedDeletionsLoadsAgain(t *testing.T) {
	d, writer, reader := instances(t)
	ctx := context.Background()
	docs := searchtest.Documents()
	if err := writer.Upsert(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if _, n := found(t, reader, search.Query{}); n != len(docs) {
		t.Fatalf("total %d", n)
	}
	// The reader is stopped here; the writer deletes one document, and a
	// day later another, which prunes the first one's tombstone.
	if err := writer.Delete(ctx, []uuid.UUID{docs[0].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`UPDATE search_deletions SET updated_at = now() - interval '25 hours'`); err != nil {
		t.Fatal(err)
	}
	if err := writer.Delete(ctx, []uuid.UUID{docs[1].ID}); err != nil {
		t.Fatal(err)
	}
	var tombs int
	if err := d.Get(&tombs, `SELECT count(*) FROM search_deletions`); err != nil || tombs != 1 {
		t.Fatalf("tombstones left: %d, %v; want the recent one only", tombs, err)
	}
	got, n := found(t, reader, search.Query{})
	if n != len(docs)-2 {
		t.Errorf("total %d, want %d", n, len(docs)-2)
	}
	for _, id := range []uuid.UUID{docs[0].ID, docs[1].ID} {
		if name, ok := got[id]; ok {
			t.Errorf("deleted %q still found", name)
		}
	}
}

// Writers on several instances at once, and an instance syncing and
// searching all along: once they are done, it holds every document, none
// skipped because a later version became visible before an earlier one.
func TestConcurrentWritersAreNeverSkipped(t *testing.T) {
	d, _, reader := instances(t)
	ctx := context.Background()
	base := searchtest.Documents()[0]
	const writers, batches, per = 4, 10, 5
	var wg, readers sync.WaitGroup
	done := make(chan struct{})
	for _, q := range []search.Query{{Text: "nuoc"}, {Text: "mam", Sort: search.SortNewest}, {Provinces: []string{"an-giang"}}} {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
					found(t, reader, q)
				}
			}
		}()
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := pgsearch.New(d, pgsearch.WithResultCache(0, 0))
			for b := range batches {
				var docs []search.Document
				for i := range per {
					doc := base
					doc.ID = uuid.New()
					doc.Slug = fmt.Sprintf("nuoc-mam-%d-%d-%d", w, b, i)
					docs = append(docs, doc)
				}
				if err := e.Upsert(ctx, docs); err != nil {
					t.Error(err)
					return
				}
				if b%3 == 0 {
					if err := e.Delete(ctx, []uuid.UUID{docs[0].ID}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readers.Wait()
	var want []uuid.UUID
	if err := d.Select(&want, `SELECT id FROM search_documents`); err != nil {
		t.Fatal(err)
	}
	if _, n := found(t, reader, search.Query{}); n != len(want) {
		t.Fatalf("reader holds %d documents, the database %d", n, len(want))
	}
	// Every page, to compare the IDs.
	var ids []uuid.UUID
	for page := 1; ; page++ {
		res, err := reader.Search(ctx, search.Query{Page: page, PerPage: 50, Sort: search.SortNewest})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			break
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
	}
	byString := func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) }
	slices.SortFunc(ids, byString)
	slices.SortFunc(want, byString)
	if !slices.Equal(ids, want) {
		t.Errorf("reader's documents differ from the database's (%d against %d)", len(ids), len(want))
	}
	// The province's suggestions still count its products exactly, after
	// the writers' additions and deletions.
	var ranks []float64
	if err := d.Select(&ranks, `SELECT DISTINCT rank FROM search_suggestions WHERE kind = 'province' AND slug = $1`, base.Province); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ranks, []float64{float64(len(want))}) {
		t.Errorf("province suggestion ranks %v, want %d products", ranks, len(want))
	}
}
