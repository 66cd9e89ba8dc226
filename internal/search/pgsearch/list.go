package pgsearch

import (
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"htxmarket/internal/search"
)

// Lists (a catalog page of products by province, group, cooperative,
// every filter and sort, without text) walk the index's documents in the
// order of the sort, kept ready per sort until the index changes, and
// stop at the page's end: a list costs its page, not a pass over every
// product, and needs no total or facets.

// orders holds the live ordinals in the order of each sort, and by
// filter value (lists).
type orders struct {
	mu    sync.Mutex
	by    map[string][]uint32
	lists *valueLists
}

// valueLists are the live ordinals of each province, group and
// cooperative (ascending), and the counts a list without text facets by:
// by province, group and stars together (cube), and by certification and
// cooperative over the whole catalog.
type valueLists struct {
	prov, group, coop [][]uint32
	provGroup         [][]uint32 // by prov*groups+group
	cube              []int32    // (prov*groups+group)*6+stars
	groups            int
	certN, coopN      []int32
}

// valueLists returns the lists, computing them when the index changed
// since. The caller holds ix.mu for reading.
func (ix *index) valueLists() *valueLists {
	ix.orders.mu.Lock()
	defer ix.orders.mu.Unlock()
	if ix.orders.lists != nil {
		return ix.orders.lists
	}
	np, ng := len(ix.provs.values), len(ix.groups.values)
	vl := &valueLists{prov: make([][]uint32, np), group: make([][]uint32, ng), coop: make([][]uint32, len(ix.coops)),
		provGroup: make([][]uint32, np*ng),
		cube:      make([]int32, np*ng*6), groups: ng, certN: make([]int32, len(ix.certs.values)), coopN: make([]int32, len(ix.coops))}
	ix.alive.each(func(ord uint32) {
		d := &ix.docs[ord]
		vl.prov[d.prov] = append(vl.prov[d.prov], ord)
		vl.group[d.group] = append(vl.group[d.group], ord)
		vl.coop[d.coop] = append(vl.coop[d.coop], ord)
		pg := int(d.prov)*ng + int(d.group)
		vl.provGroup[pg] = append(vl.provGroup[pg], ord)
		vl.cube[(int(d.prov)*ng+int(d.group))*6+int(d.stars)]++
		for b := d.certs; b != 0; b &= b - 1 {
			vl.certN[bits.TrailingZeros64(b)]++
		}
		if d.moreCerts {
			for _, c := range ix.moreCerts[d.id] {
				vl.certN[c]++
			}
		}
		vl.coopN[d.coop]++
	})
	ix.orders.lists = vl
	return vl
}

// candidates returns, ascending, the live ordinals that may pass f's
// province, group and cooperative filters (those of the filter set that
// lets fewest through), and false when f sets none of them.
func (ix *index) candidates(vl *valueLists, f *filter) ([]uint32, bool) {
	var best []uint32
	found := false
	consider := func(lists [][]uint32, chosen []bool) {
		if chosen == nil {
			return
		}
		var ls [][]uint32
		n := 0
		for v, ok := range chosen {
			if ok && v < len(lists) {
				ls = append(ls, lists[v])
				n += len(lists[v])
			}
		}
		if found && n >= len(best) {
			return
		}
		var union []uint32
		if len(ls) == 1 {
			union = ls[0]
		} else {
			union = make([]uint32, 0, n)
			for _, l := range ls {
				union = append(union, l...)
			}
			slices.Sort(union)
		}
		best, found = union, true
	}
	if f.provs != nil && f.groups != nil && len(vl.provGroup) == len(f.provs)*vl.groups && len(f.groups) == vl.groups {
		// Both: the lists of each province and group chosen together.
		pairs := make([]bool, len(vl.provGroup))
		for p, okP := range f.provs {
			for g, okG := range f.groups {
				pairs[p*vl.groups+g] = okP && okG
			}
		}
		consider(vl.provGroup, pairs)
	}
	consider(vl.prov, f.provs)
	consider(vl.group, f.groups)
	switch {
	case f.coop == -2:
		return nil, true
	case f.coop >= 0 && f.coop < len(vl.coop) && (!found || len(vl.coop[f.coop]) < len(best)):
		best, found = vl.coop[f.coop], true
	}
	return best, found
}

// listScan is the most candidates a list filters and orders itself
// rather than walk its sort's order.
const listScan = 8192

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
		cands = append(cands, cand{key: keyOf(&ix.attr[ord], 0), idHi: ix.attr[ord].idHi, ord: ord})
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
func (ix *index) forgetOrders() { ix.orders.by, ix.orders.lists = nil, nil }

// evaluateList answers a query without text whose filters are only
// provinces, groups and a minimum rating (the product list page's): the
// facets of those three come from the counts of the whole catalog by
// province, group and stars, those of certifications and cooperatives
// from the hits, which the province or group lists give; with no filter
// at all, every count is the catalog's and the page is its sort's. ok is
// false for any other query.
func (ix *index) evaluateList(q search.Query, f *filter, off int, sc *scratch) (evaluation, bool) {
	if f.anyBase() || f.cert != -1 || f.coop != -1 {
		return evaluation{}, false
	}
	vl := ix.valueLists()
	np, ng := len(ix.provs.values), len(ix.groups.values)
	if len(vl.cube) != np*ng*6 || len(vl.certN) != len(ix.certs.values) || len(vl.coopN) != len(ix.coops) {
		return evaluation{}, false
	}
	for p := range np {
		inP := f.provs == nil || f.provs[p]
		for g := range ng {
			inG := f.groups == nil || f.groups[g]
			for s := range 6 {
				n := vl.cube[(p*ng+g)*6+s]
				if n == 0 {
					continue
				}
				inS := uint8(s) >= f.minStars
				if inG && inS {
					sc.prov[p] += n
				}
				if inP && inS {
					sc.group[g] += n
				}
				if inP && inG {
					sc.stars[s] += n
				}
			}
		}
	}
	cands, ok := ix.candidates(vl, f)
	if !ok && f.minStars == 0 {
		copy(sc.cert, vl.certN)
		copy(sc.coop, vl.coopN)
		ev := evaluation{total: ix.live, facets: ix.facets(sc)}
		all := ix.sorted(q.Sort)
		for _, ord := range all[min(off, len(all)):min(off+q.PerPage, len(all))] {
			d := &ix.docs[ord]
			ev.page = append(ev.page, pageDoc{id: d.id, version: d.version})
		}
		return ev, true
	}
	keyOf := sortKey(q.Sort)
	hits := sc.hits[:0]
	visit := func(ord uint32) {
		d := &ix.attr[ord]
		if ix.mask(f, d, ord) != bitsAll {
			return
		}
		for b := d.certs; b != 0; b &= b - 1 {
			sc.cert[bits.TrailingZeros64(b)]++
		}
		if d.moreCerts {
			for _, c := range ix.moreCerts[ix.docs[ord].id] {
				sc.cert[c]++
			}
		}
		sc.coop[d.coop]++
		hits = append(hits, cand{key: keyOf(d, 0), idHi: d.idHi, ord: ord})
	}
	if ok {
		for _, ord := range cands {
			visit(ord)
		}
	} else {
		ix.alive.each(visit)
	}
	sc.hits = hits
	ev := evaluation{total: len(hits), facets: ix.facets(sc)}
	top := topK(hits, min(off+q.PerPage, len(hits)), ix.order(q.Sort))
	for _, h := range top[min(off, len(top)):] {
		d := &ix.docs[h.ord]
		ev.page = append(ev.page, pageDoc{id: d.id, version: d.version})
	}
	return ev, true
}

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
	// A province, group or cooperative lets few products through: filter
	// those, then order them.
	if cands, ok := ix.candidates(ix.valueLists(), &f); ok && len(cands) <= listScan {
		keyOf := sortKey(q.Sort)
		sc := scratchPool.Get().(*scratch)
		defer scratchPool.Put(sc)
		hits := sc.hits[:0]
		for _, ord := range cands {
			d := &ix.attr[ord]
			if filtered && !f.base(d) || ix.mask(&f, d, ord) != bitsAll {
				continue
			}
			hits = append(hits, cand{key: keyOf(d, 0), idHi: d.idHi, ord: ord})
		}
		sc.hits = hits
		top := topK(hits, min(offset+limit, len(hits)), ix.order(q.Sort))
		for _, h := range top[min(offset, len(top)):] {
			d := &ix.docs[h.ord]
			page = append(page, pageDoc{id: d.id, version: d.version})
		}
		more = len(hits) > offset+limit
		ix.mu.RUnlock()
		docs, err := e.documents(ctx, page)
		if err != nil {
			return nil, false, fmt.Errorf("pgsearch: list: %w", err)
		}
		return docs, more, nil
	}
	for _, ord := range ix.sorted(q.Sort) {
		if !ix.alive.has(ord) {
			continue
		}
		if filtered && !f.base(&ix.attr[ord]) || faceted && ix.mask(&f, &ix.attr[ord], ord) != bitsAll {
			continue
		}
		d := &ix.docs[ord]
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
