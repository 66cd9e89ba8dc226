package pgsearch

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"htxmarket/internal/search"
)

// Lists (a catalog page of products by province, group, cooperative,
// every filter and sort, without text) walk the index's documents in the
// order of the sort, kept ready per sort until the index changes, and
// stop at the page's end: a list costs its page, not a pass over every
// product, and needs no total or facets.

// orders holds the live ordinals in the order of each sort.
type orders struct {
	mu sync.Mutex
	by map[string][]uint32
}

// sorted returns the live ordinals in sort's order, computing them when
// the index changed since. The caller holds ix.mu for reading.
func (ix *index) sorted(sort string) []uint32 {
	ix.orders.mu.Lock()
	defer ix.orders.mu.Unlock()
	if ords, ok := ix.orders.by[sort]; ok {
		return ords
	}
	keyOf := sortKey(sort)
	cands := make([]cand, 0, ix.live)
	ix.alive.each(func(ord uint32) {
		cands = append(cands, cand{key: keyOf(&ix.docs[ord], 0), ord: ord})
	})
	slices.SortFunc(cands, ix.order(sort).cmp)
	ords := make([]uint32, len(cands))
	for i, c := range cands {
		ords[i] = c.ord
	}
	if ix.orders.by == nil {
		ix.orders.by = map[string][]uint32{}
	}
	ix.orders.by[sort] = ords
	return ords
}

// forgetOrders drops the orders; the caller holds ix.mu for writing.
func (ix *index) forgetOrders() { ix.orders.by = nil }

// List returns the documents at offset of those q's filters select (its
// text is ignored), in q.Sort's order, at most limit, and whether more
// follow.
func (e *Engine) List(ctx context.Context, q search.Query, offset, limit int) ([]search.Document, bool, error) {
	if !slices.Contains(sorts, q.Sort) || q.Sort == search.SortRelevance {
		q.Sort = search.SortNewest
	}
	ix, err := e.current(ctx)
	if err != nil {
		return nil, false, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	ix.mu.RLock()
	f := ix.filter(q)
	filtered, faceted := f.anyBase(), f.anyFaceted()
	page := make([]pageDoc, 0, limit)
	more := false
	skip := offset
	for _, ord := range ix.sorted(q.Sort) {
		if !ix.alive.has(ord) {
			continue
		}
		d := &ix.docs[ord]
		if filtered && !f.base(d) || faceted && ix.mask(&f, d) != bitsAll {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if len(page) == limit {
			more = true
			break
		}
		page = append(page, pageDoc{id: d.id, version: d.version})
	}
	ix.mu.RUnlock()
	docs, err := e.documents(ctx, page)
	if err != nil {
		return nil, false, fmt.Errorf("pgsearch: list: %w", err)
	}
	return docs, more, nil
}
