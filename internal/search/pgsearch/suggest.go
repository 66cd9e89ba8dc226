package pgsearch

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"htxmarket/internal/search"
)

// Suggestions come from the in-memory index, like searches: the prefix
// keys of products (the folded name, and the name from its second word),
// cooperatives (the name, and the name after its legal form "HTX"), and
// provinces (current and former names), sorted, so that a prefix is a
// range of them. They are built from the index when first asked for after
// a change: at once after this engine's own writes (a write shows in the
// next suggestion, as the contract wants), and at most every
// suggestRebuild for the changes of other instances, which the index
// reads every second.

// Kinds of suggestion keys.
const (
	keyProduct uint8 = iota
	keyRest          // a product by its name from the second word
	keyProvince
	keyCoop
)

// suggestRebuild bounds how often the keys are built again for other
// instances' changes.
const suggestRebuild = 5 * time.Second

// suggestOthers is how many provinces and cooperatives a suggestion reads
// (the products come first; mix keeps room for up to three of them).
const suggestOthers = 3

type suggGroup struct {
	key        string
	start, end int
}

type suggKey struct {
	key  string
	kind uint8
	id   uint32 // ordinal of a product, id of a province or cooperative
	rank float32
}

// suggestions are the keys of one state of the index.
type suggestions struct {
	mu      sync.Mutex
	built   bool
	version int64 // ix.version when built
	writes  int64 // the engine's writes when built
	at      time.Time
	keys    []suggKey // by key, kind, then best rank first
	// groups are the runs of keys with one key and kind, so that a range
	// offers each run's best first and stops at the first that cannot
	// place.
	groups []suggGroup
	// provTop are, by province, its best products (ordinals, best first).
	provTop [][]uint32
	provN   []int // live products by province
}

// suggestKeys returns the keys, built again when the index changed since
// (see above). The caller holds ix.mu for reading.
func (ix *index) suggestKeys(writes int64) *suggestions {
	s := &ix.sugg
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.built && (s.version == ix.version || s.writes == writes && time.Since(s.at) < suggestRebuild) {
		return s
	}
	var keys []suggKey
	provN := make([]int, len(ix.provs.values))
	provTop := make([][]uint32, len(ix.provs.values))
	coopN := make([]int, len(ix.coops))
	ix.alive.each(func(ord uint32) {
		d := &ix.docs[ord]
		provN[d.prov]++
		coopN[d.coop]++
		name, _, _ := bytes.Cut(ix.disp[d.dispStart:d.dispEnd], []byte{0})
		ws := words(string(name))
		if len(ws) == 0 {
			return
		}
		keys = append(keys, suggKey{strings.Join(ws, " "), keyProduct, ord, d.rank})
		if len(ws) > 1 {
			keys = append(keys, suggKey{strings.Join(ws[1:], " "), keyRest, ord, d.rank})
		}
		top := provTop[d.prov]
		i, _ := slices.BinarySearchFunc(top, d.rank, func(o uint32, r float32) int {
			if ix.docs[o].rank > r {
				return -1
			}
			return 1
		})
		if i < search.MaxSuggest {
			top = slices.Insert(top, i, ord)
			provTop[d.prov] = top[:min(len(top), search.MaxSuggest)]
		}
	})
	for p, n := range provN {
		if n == 0 || p >= len(ix.places) {
			continue
		}
		for _, place := range ix.places[p] {
			if k := strings.Join(words(place), " "); k != "" {
				keys = append(keys, suggKey{k, keyProvince, uint32(p), float32(n)})
			}
		}
	}
	for c, n := range coopN {
		if n == 0 {
			continue
		}
		k := strings.Join(words(ix.coops[c].name), " ")
		// Nearly every name starts with its legal form ("HTX Nước mắm
		// Cái Rồng"): a shopper types what follows it.
		rest := strings.TrimPrefix(strings.TrimPrefix(k, "hop tac xa "), "htx ")
		if k != "" {
			keys = append(keys, suggKey{k, keyCoop, uint32(c), float32(n)})
		}
		if rest != k && rest != "" {
			keys = append(keys, suggKey{rest, keyCoop, uint32(c), float32(n)})
		}
	}
	slices.SortFunc(keys, func(a, b suggKey) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		switch {
		case a.rank > b.rank:
			return -1
		case a.rank < b.rank:
			return 1
		}
		return int(a.id) - int(b.id)
	})
	var groups []suggGroup
	for i := range keys {
		if i == 0 || keys[i].key != keys[i-1].key || keys[i].kind != keys[i-1].kind {
			groups = append(groups, suggGroup{key: keys[i].key, start: i})
		}
		groups[len(groups)-1].end = i + 1
	}
	s.keys, s.groups, s.provTop, s.provN = keys, groups, provTop, provN
	s.built, s.version, s.writes, s.at = true, ix.version, writes, time.Now()
	return s
}

// ranked keeps the best n of what it is offered, by rank, each id once.
type ranked struct {
	n     int
	items []suggKey
}

// full reports whether nothing of rank at most rank would place.
func (r *ranked) full(rank float32) bool {
	return len(r.items) == r.n && rank <= r.items[r.n-1].rank
}

func (r *ranked) offer(k suggKey) {
	if r.full(k.rank) {
		return
	}
	for i, it := range r.items {
		if it.id == k.id {
			if k.rank > it.rank {
				r.items = slices.Delete(r.items, i, i+1)
				break
			}
			return
		}
	}
	i := sort.Search(len(r.items), func(i int) bool { return r.items[i].rank < k.rank })
	if i >= r.n {
		return
	}
	r.items = slices.Insert(r.items, i, k)
	if len(r.items) > r.n {
		r.items = r.items[:r.n]
	}
}

// Suggest returns the products, then the cooperatives and provinces, with
// a key that starts with the folded prefix, best rank first: a product by
// its name, the rest of its name or its province's names (current or
// former), a cooperative by its name, a province by its names.
func (e *Engine) Suggest(ctx context.Context, prefix string, limit int) ([]search.Suggestion, error) {
	ws := words(prefix)
	if len(ws) == 0 || limit <= 0 {
		return []search.Suggestion{}, nil
	}
	if len(ws) > maxWords {
		ws = ws[:maxWords]
	}
	lo := strings.Join(ws, " ")
	hi := prefixUpper(lo)
	if endsWithSeparator(prefix) {
		hi = lo + "!" // a finished word: "ca " is "ca" and "ca …", not "cam"
	}
	key := lo + "\x00" + hi + "\x00" + strconv.Itoa(limit)
	if r, ok := get(e.cache, e.cache.suggestMap(), key); ok {
		return slices.Clone(r), nil
	}
	gen := e.cache.generation()
	ix, err := e.current(ctx)
	if err != nil {
		return nil, fmt.Errorf("pgsearch: suggest: %w", err)
	}
	ix.mu.RLock()
	s := ix.suggestKeys(e.writes.Load())
	from := sort.Search(len(s.groups), func(i int) bool { return s.groups[i].key >= lo })
	byName, byRest := ranked{n: limit}, ranked{n: limit}
	provs, coops := ranked{n: 2 * suggestOthers}, ranked{n: suggestOthers}
	for _, g := range s.groups[from:] {
		if g.key >= hi {
			break
		}
		var r *ranked
		switch s.keys[g.start].kind {
		case keyProduct:
			r = &byName
		case keyRest:
			r = &byRest
		case keyProvince:
			r = &provs
		case keyCoop:
			r = &coops
		}
		// Best first: the first that cannot place ends the run.
		for _, k := range s.keys[g.start:g.end] {
			if r.full(k.rank) {
				break
			}
			if (k.kind == keyProduct || k.kind == keyRest) && !ix.alive.has(k.id) {
				continue
			}
			r.offer(k)
		}
	}
	// The best products of the provinces the prefix names.
	ofProvs := ranked{n: limit}
	for _, p := range provs.items {
		for _, ord := range s.provTop[p.id] {
			if ix.alive.has(ord) {
				ofProvs.offer(suggKey{kind: keyProduct, id: ord, rank: ix.docs[ord].rank})
			}
		}
	}
	product := func(ord uint32) search.Suggestion {
		d := &ix.docs[ord]
		name, slug, _ := bytes.Cut(ix.disp[d.dispStart:d.dispEnd], []byte{0})
		return search.Suggestion{Kind: "product", Text: string(name), Slug: string(slug), Extra: ix.placeName(d.prov)}
	}
	var prods, rest []search.Suggestion
	seen := map[string]bool{}
	add := func(out *[]search.Suggestion, sg search.Suggestion) {
		if !seen[sg.Kind+"/"+sg.Slug] {
			seen[sg.Kind+"/"+sg.Slug] = true
			*out = append(*out, sg)
		}
	}
	for _, part := range []ranked{byName, byRest, ofProvs} {
		for _, k := range part.items {
			add(&prods, product(k.id))
		}
	}
	for _, k := range provs.items[:min(len(provs.items), suggestOthers)] {
		add(&rest, search.Suggestion{Kind: "province", Text: ix.placeName(uint16(k.id)), Slug: ix.provs.values[k.id]})
	}
	for _, k := range coops.items {
		c := &ix.coops[k.id]
		add(&rest, search.Suggestion{Kind: "cooperative", Text: c.name, Slug: c.slug, Extra: ix.placeName(c.prov)})
	}
	ix.mu.RUnlock()
	out := mix(prods, rest, limit)
	put(e.cache, e.cache.suggestMap(), key, gen, slices.Clone(out))
	return out, nil
}

// placeName is the current name of province p.
func (ix *index) placeName(p uint16) string {
	if int(p) < len(ix.places) && len(ix.places[p]) > 0 {
		return ix.places[p][0]
	}
	return ""
}

// mix keeps room for up to three cooperatives and provinces among limit
// suggestions, products first.
func mix(prods, rest []search.Suggestion, limit int) []search.Suggestion {
	nRest := min(len(rest), 3, limit)
	nProd := min(len(prods), limit-nRest)
	nRest = min(len(rest), limit-nProd)
	out := make([]search.Suggestion, 0, nProd+nRest)
	out = append(out, prods[:nProd]...)
	return append(out, rest[:nRest]...)
}
