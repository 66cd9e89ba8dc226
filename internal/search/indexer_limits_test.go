package search_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
	"htxmarket/internal/search/searchtest"
)

// oneSource is a catalog of fixed documents.
type oneSource struct{ docs []search.Document }

func (s oneSource) Documents(_ context.Context, _ []uuid.UUID, write func([]search.Document) error) error {
	return write(s.docs)
}
func (s oneSource) ProductIDsOfCooperative(context.Context, uuid.UUID) ([]uuid.UUID, error) {
	return nil, nil
}
func (s oneSource) AllDocuments(_ context.Context, yield func(search.Document) error) error {
	for _, d := range s.docs {
		if err := yield(d); err != nil {
			return err
		}
	}
	return nil
}
func (s oneSource) ChangeMark(context.Context) (time.Time, error)                { return time.Now(), nil }
func (s oneSource) ChangedSince(context.Context, time.Time) ([]uuid.UUID, error) { return nil, nil }

// TestIndexerBoundsFieldSizes (issue #12): a product saved with 30
// keywords of 1 MB each (before the catalog limited them) made every
// delivery fail with "string is too long for tsvector". The indexer cuts
// each field to the catalog's limits, and the product is indexed.
func TestIndexerBoundsFieldSizes(t *testing.T) {
	d := searchtest.Documents()[0]
	d.ID = uuid.New()
	d.Name = "Mật ong rừng " + strings.Repeat("a", 1<<20)
	d.Keywords = make([]string, 30)
	for i := range d.Keywords {
		d.Keywords[i] = strings.Repeat(string(rune('a'+i%26)), 1<<20)
	}
	d.Description = strings.Repeat("ong mật ", 1<<18)
	d.CooperativeName = strings.Repeat("htx ", 1<<18)
	src := oneSource{docs: []search.Document{d}}
	for _, run := range []struct {
		name  string
		index func(search.Engine) error
	}{
		{"indexer", func(e search.Engine) error {
			return (&search.Indexer{Engine: e, Source: src}).Index(context.Background(), []uuid.UUID{d.ID})
		}},
		{"reindex", func(e search.Engine) error { return search.Reindex(context.Background(), e, src) }},
	} {
		t.Run(run.name, func(t *testing.T) {
			e := pgsearch.New(dbtest.New(t))
			if err := run.index(e); err != nil {
				t.Fatal(err)
			}
			res, err := e.Search(context.Background(), search.Query{Text: "mật ong rừng", Sort: search.SortRelevance, Page: 1, PerPage: 10})
			if err != nil || res.Total != 1 {
				t.Fatalf("search: %d hits, %v", res.Total, err)
			}
		})
	}
}
