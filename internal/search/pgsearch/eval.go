package pgsearch

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	"htxmarket/internal/search"
)

// elem is one position of a phrase: one lexeme, or any of the lexemes
// with a prefix.
type elem struct {
	key string   // the word, with "*" when a prefix
	ids []uint32 // ascending
	set bitset   // the same as a set over lexeme ids, when ids is long
	// toned, when set, is the toned word (tones.go) the document must
	// have, its id tid.
	toned bool
	tid   uint32
}

func (e elem) has(id uint32) bool {
	if e.set != nil {
		return int(id>>6) < len(e.set) && e.set.has(id)
	}
	_, ok := slices.BinarySearch(e.ids, id)
	return ok
}

// phrase is a sequence of elems that must be at consecutive positions; a
// one-elem phrase is a word.
type phrase []elem

// key names the phrase in the index's phrase cache.
func (ph phrase) key() string {
	var b strings.Builder
	for _, e := range ph {
		b.WriteString(e.key)
		if e.toned {
			b.WriteString("'")
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// cunit is a plan's unit in lexeme ids: what one query word (or synonym
// term) matches exactly, and what it matches loosely (typos, prefix).
type cunit struct {
	exact []phrase
	loose []phrase
	typo  bool // loose has a misspelling's alternatives (else only the prefix)
}

// compiled is a plan in the lexeme ids of one index.
type compiled struct {
	plan
	units []cunit
	// The queries the score ranks with (ts_rank): every alternative,
	// typos and prefix included; the exact alternatives; the words as
	// typed, side by side.
	loose, exact, typed rankQuery
	words               []rankItem // every word the three rank, each once
	trigrams            []uint32   // of the folded query, for the similarity of names
}

// newElem makes an elem of ids (in any order).
func newElem(ids []uint32, dictSize int) elem {
	e := elem{ids: slices.Clone(ids)}
	slices.Sort(e.ids)
	if len(e.ids) > 16 {
		e.set = newBitset(dictSize)
		for _, id := range e.ids {
			e.set.set(id)
		}
	}
	return e
}

// compile turns p into lexeme ids. An alternative naming a word (or a
// toned form) the index does not have matches nothing.
func (ix *index) compile(p plan) compiled {
	c := compiled{plan: p}
	word := func(t term) (elem, bool) {
		id, ok := ix.known(t.fold)
		if !ok {
			return elem{}, false
		}
		e := elem{key: t.String(), ids: []uint32{id}}
		if t.toned != "" {
			if e.tid, e.toned = ix.tonedLive(t.toned); !e.toned {
				return elem{}, false
			}
		}
		return e, true
	}
	prefix := func(w string) (elem, bool) {
		ids := ix.dict.prefixed(w)
		if len(ids) == 0 {
			return elem{}, false
		}
		e := newElem(ids, len(ix.dict.words))
		e.key = w + "*"
		return e, true
	}
	toPhrase := func(ts []term, lastPrefix bool) (phrase, bool) {
		ph := make(phrase, 0, len(ts))
		for i, t := range ts {
			e, ok := word(t)
			if lastPrefix && i == len(ts)-1 {
				e, ok = prefix(t.fold)
			}
			if !ok {
				return nil, false
			}
			ph = append(ph, e)
		}
		return ph, true
	}
	item := func(w string, isPrefix bool) int {
		for i, it := range c.words {
			if it.word == w && it.prefix == isPrefix {
				return i
			}
		}
		e, _ := word(term{fold: w})
		if isPrefix {
			e, _ = prefix(w)
		}
		c.words = append(c.words, rankItem{word: w, prefix: isPrefix, elem: e})
		return len(c.words) - 1
	}
	var typed []string
	nLoose := 0
	for _, u := range p.units {
		var cu cunit
		for _, a := range u.alts {
			if ph, ok := toPhrase(a, false); ok {
				cu.exact = append(cu.exact, ph)
			}
			for _, t := range a {
				c.exact.add(c.words, item(t.fold, false))
				c.loose.add(c.words, item(t.fold, false))
			}
		}
		for _, a := range u.loose {
			if ph, ok := toPhrase(a, false); ok {
				cu.loose = append(cu.loose, ph)
				cu.typo = true
			}
			for _, t := range a {
				c.loose.add(c.words, item(t.fold, false))
			}
			nLoose++
		}
		if u.prefix {
			ts := make([]term, len(u.typed))
			for i, w := range u.typed {
				ts[i] = term{fold: w.fold}
			}
			if ph, ok := toPhrase(ts, true); ok {
				cu.loose = append(cu.loose, ph)
			}
			for i, w := range u.typed {
				c.loose.add(c.words, item(w.fold, i == len(u.typed)-1))
			}
		}
		c.units = append(c.units, cu)
		for _, w := range u.typed {
			typed = append(typed, w.fold)
		}
	}
	for _, w := range typed {
		c.typed.add(c.words, item(w, false))
	}
	// As PostgreSQL ranks them: a query whose top operator is AND or a
	// phrase by the proximity of its words, any other by their weights.
	single := len(p.units) == 1
	alts := 0
	if single {
		u := p.units[0]
		alts = len(u.alts) + nLoose
		if u.prefix {
			alts++
		}
	}
	c.loose.and = !single || alts == 1 && len(p.units[0].alts) == 1 && len(p.units[0].alts[0]) > 1
	c.exact.and = !single || len(p.units[0].alts) == 1 && len(p.units[0].alts[0]) > 1
	c.typed.and = len(typed) > 1
	return c
}

// scratch is the working memory of one search, reused through a pool:
// allocating it afresh for every search would cost more than the search.
type scratch struct {
	all, matched, name, exact     bitset // the query's match sets
	uAll, uMatched, uName, uExact bitset // one unit's
	cand, elem                    bitset // a phrase's candidates
	hits                          []cand
	lists                         [][]uint16 // a phrase's position lists, by word
	bufs                          [][]uint16 // their storage, for words with several lexemes
	entries                       [][]uint16 // ts_rank's entries of a document, by item
	itemEnd                       []int      // where each item's entries end in entries
	prov, group, cert             []int32
	coop                          []int32
	stars                         [6]int32
	keys                          []uint64 // a facet's values by count and order
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// sized returns b with room for n ordinals, all clear.
func (b bitset) sized(n int) bitset {
	w := (n + 63) / 64
	if cap(b) < w {
		return make(bitset, w)
	}
	b = b[:w]
	clear(b)
	return b
}

// zeroed returns s with length n, all zero.
func zeroed(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// match computes the documents c's text matches, every unit required:
// sc.all (loose alternatives included, in any field), sc.exact (exact
// alternatives, in any field), sc.matched (exact, outside the
// description: the real matches) and sc.name (every word exactly in the
// name). A unit that matches no document at all is left out when another
// matches some: its typed words are returned.
func (ix *index) match(c *compiled, sc *scratch) (dropped []string) {
	n := len(ix.docs)
	kept := 0
	for i, u := range c.units {
		sc.uAll, sc.uMatched, sc.uName, sc.uExact = sc.uAll.sized(n), sc.uMatched.sized(n), sc.uName.sized(n), sc.uExact.sized(n)
		for _, ph := range u.exact {
			ix.addPhrase(ph, true, sc.uAll, sc.uMatched, sc.uName, sc.uExact, sc)
		}
		for _, ph := range u.loose {
			ix.addPhrase(ph, false, sc.uAll, sc.uMatched, sc.uName, sc.uExact, sc)
		}
		sc.uAll.and(ix.alive)
		if sc.uAll.empty() {
			var ws []string
			for _, a := range c.plan.units[i].typed {
				ws = append(ws, a.raw)
			}
			dropped = append(dropped, strings.Join(ws, " "))
			continue
		}
		if kept == 0 {
			sc.all, sc.uAll = sc.uAll, sc.all
			sc.matched, sc.uMatched = sc.uMatched, sc.matched
			sc.name, sc.uName = sc.uName, sc.name
			sc.exact, sc.uExact = sc.uExact, sc.exact
		} else {
			sc.all.and(sc.uAll)
			sc.matched.and(sc.uMatched)
			sc.name.and(sc.uName)
			sc.exact.and(sc.uExact)
		}
		kept++
	}
	if kept == 0 {
		sc.all, sc.matched, sc.name, sc.exact = sc.all.sized(n), sc.matched.sized(n), sc.name.sized(n), sc.exact.sized(n)
		return nil
	}
	sc.matched.and(sc.all)
	return dropped
}

// empty reports whether b has no ordinal.
func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

// addPhrase adds the documents that have ph to the sets; exact says
// whether they are real matches (exact, matched outside the description,
// name).
func (ix *index) addPhrase(ph phrase, exact bool, all, matched, name, exactAll bitset, sc *scratch) {
	if len(ph) == 1 {
		add := func(posts []uint32) {
			for _, p := range posts {
				ord := p >> 4
				all.set(ord)
				if !exact {
					continue
				}
				exactAll.set(ord)
				if p&maskABC != 0 {
					matched.set(ord)
				}
				if p&maskA != 0 {
					name.set(ord)
				}
			}
		}
		if ph[0].toned {
			add(ix.tpost[ph[0].tid])
			return
		}
		for _, id := range ph[0].ids {
			add(ix.post[id])
		}
		return
	}
	ps := ix.phraseSets(ph, sc)
	all.or(ps.all)
	if exact {
		exactAll.or(ps.all)
		matched.or(ps.matched)
		name.or(ps.name)
	}
}

// phraseSets are the documents that have a phrase: anywhere, outside the
// description, in the name.
type phraseSets struct{ all, matched, name bitset }

// maxPhrases bounds the index's phrase cache.
const maxPhrases = 256

// phraseSets returns the documents that have ph, from the index's cache:
// the phrases a query has (synonyms of several words, cà phê = cafe) come
// back in query after query, and each costs a look at the positions of
// every document with all its words. The cache is emptied whenever the
// index changes.
func (ix *index) phraseSets(ph phrase, sc *scratch) *phraseSets {
	key := ph.key()
	ix.phraseMu.Lock()
	ps, ok := ix.phrases[key]
	ix.phraseMu.Unlock()
	if ok {
		return ps
	}
	// Documents with every word, then those where they are side by side.
	n := len(ix.docs)
	for i, e := range ph {
		b := &sc.elem
		if i == 0 {
			b = &sc.cand
		}
		*b = b.sized(n)
		for _, id := range e.ids {
			for _, p := range ix.post[id] {
				b.set(p >> 4)
			}
		}
		if i > 0 {
			sc.cand.and(sc.elem)
		}
	}
	ps = &phraseSets{newBitset(n), newBitset(n), newBitset(n)}
	sc.cand.each(func(ord uint32) {
		// The best occurrence's weight is its lowest word's: at least C
		// when some occurrence is outside the description, A when one is
		// in the name.
		w, ok := ix.phraseWeight(&ix.docs[ord], ph, sc)
		if !ok {
			return
		}
		ps.all.set(ord)
		if w >= weightC {
			ps.matched.set(ord)
		}
		if w == weightA {
			ps.name.set(ord)
		}
	})
	// A toned word of the phrase must be in the document as written, in
	// the field the occurrence is in (approximately: anywhere in it, in
	// a field of at least that weight).
	for _, e := range ph {
		if !e.toned {
			continue
		}
		t := &phraseSets{newBitset(n), newBitset(n), newBitset(n)}
		for _, p := range ix.tpost[e.tid] {
			ord := p >> 4
			t.all.set(ord)
			if p&maskABC != 0 {
				t.matched.set(ord)
			}
			if p&maskA != 0 {
				t.name.set(ord)
			}
		}
		ps.all.and(t.all)
		ps.matched.and(t.matched)
		ps.name.and(t.name)
	}
	ix.phraseMu.Lock()
	if ix.phrases == nil || len(ix.phrases) >= maxPhrases {
		ix.phrases = map[string]*phraseSets{}
	}
	ix.phrases[key] = ps
	ix.phraseMu.Unlock()
	return ps
}

// elemPositions returns the positions of d's lexemes in e, ascending,
// in buf's storage when e has several lexemes.
func (ix *index) elemPositions(d *memDoc, e elem, buf *[]uint16) []uint16 {
	if len(e.ids) == 1 {
		return ix.positions(d, e.ids[0])
	}
	out := (*buf)[:0]
	if e.set == nil && len(e.ids) <= 4 {
		for _, id := range e.ids {
			out = append(out, ix.positions(d, id)...)
		}
	} else {
		for j := d.lexStart; j < d.lexEnd; j++ {
			if e.has(ix.lex[j]) {
				out = append(out, ix.posAt(d, j)...)
			}
		}
	}
	if len(out) > 1 {
		slices.SortFunc(out, func(a, b uint16) int { return cmp.Compare(a&0x3fff, b&0x3fff) })
	}
	*buf = out
	return out
}

// phraseWeight finds ph in d and returns the best weight an occurrence
// has (the lowest weight of its words).
func (ix *index) phraseWeight(d *memDoc, ph phrase, sc *scratch) (uint16, bool) {
	if len(ph) == 0 {
		return 0, false
	}
	for len(sc.lists) < len(ph) {
		sc.lists = append(sc.lists, nil)
		sc.bufs = append(sc.bufs, nil)
	}
	lists := sc.lists[:len(ph)]
	for i, e := range ph {
		if lists[i] = ix.elemPositions(d, e, &sc.bufs[i]); len(lists[i]) == 0 {
			return 0, false
		}
	}
	best, found := uint16(0), false
	for _, p0 := range lists[0] {
		w := p0 >> 14
		ok := true
		for i := 1; i < len(ph) && ok; i++ {
			want := p0&0x3fff + uint16(i)
			ok = false
			for _, p := range lists[i] {
				if p&0x3fff == want {
					w, ok = min(w, p>>14), true
					break
				}
			}
		}
		if ok && (!found || w > best) {
			best, found = w, true
		}
	}
	return best, found
}

// filter is a query's filters in the index's numbers.
type filter struct {
	provs, groups      []bool // nil: no filter
	minStars           uint8
	cert, coop         int // -1: no filter; -2: a value no document has
	minPrice, maxPrice int64
	season             uint16
	inStock            bool
}

// Bits of the filters that have a facet, in filter.mask.
const (
	bitProvince = 1 << iota
	bitGroup
	bitStars
	bitCert
	bitCoop
	bitsAll = bitProvince | bitGroup | bitStars | bitCert | bitCoop
)

func (ix *index) filter(q search.Query) filter {
	f := filter{minStars: uint8(max(q.MinStars, 0)), cert: -1, coop: -1, minPrice: q.MinPrice, maxPrice: q.MaxPrice, inStock: q.InStock}
	in := func(t *table, vs []string) []bool {
		if len(vs) == 0 {
			return nil
		}
		set := make([]bool, len(t.values))
		for _, v := range vs {
			if id, ok := t.ids[v]; ok {
				set[id] = true
			}
		}
		return set
	}
	f.provs, f.groups = in(&ix.provs, q.Provinces), in(&ix.groups, q.Groups)
	if q.Certification != "" {
		f.cert = -2
		if id, ok := ix.certs.ids[q.Certification]; ok {
			f.cert = int(id)
		}
	}
	if q.Cooperative != "" {
		f.coop = -2
		if id, ok := ix.coopID[q.Cooperative]; ok {
			f.coop = int(id)
		}
	}
	if q.InSeason >= 1 && q.InSeason <= 12 {
		f.season = 1 << q.InSeason
	}
	return f
}

// anyBase reports whether a filter without a facet is in use.
func (f *filter) anyBase() bool {
	return f.minPrice > 0 || f.maxPrice > 0 || f.season != 0 || f.inStock
}

// anyFaceted reports whether a filter with a facet is in use.
func (f *filter) anyFaceted() bool {
	return f.provs != nil || f.groups != nil || f.minStars > 0 || f.cert != -1 || f.coop != -1
}

// base reports whether d passes the filters that have no facet.
func (f *filter) base(d *attrs) bool {
	return (f.minPrice <= 0 || d.price >= f.minPrice) &&
		(f.maxPrice <= 0 || d.price <= f.maxPrice) &&
		(f.season == 0 || d.season == 0 || d.season&f.season != 0) &&
		(!f.inStock || d.inStock)
}

// mask returns the bits of the faceted filters d passes (every bit of a
// filter not in use).
func (ix *index) mask(f *filter, d *attrs, ord uint32) int {
	m := 0
	if f.provs == nil || f.provs[d.prov] {
		m |= bitProvince
	}
	if f.groups == nil || f.groups[d.group] {
		m |= bitGroup
	}
	if d.stars >= f.minStars {
		m |= bitStars
	}
	if f.cert == -1 || f.cert >= 0 && ix.hasCertAt(d, ord, f.cert) {
		m |= bitCert
	}
	if f.coop == -1 || f.coop >= 0 && d.coop == uint32(f.coop) {
		m |= bitCoop
	}
	return m
}

// maskHot is mask from a document's hotAttrs.
func (ix *index) maskHot(f *filter, d *hotAttrs, ord uint32) int {
	m := 0
	if f.provs == nil || f.provs[d.prov] {
		m |= bitProvince
	}
	if f.groups == nil || f.groups[d.group] {
		m |= bitGroup
	}
	if d.stars >= f.minStars {
		m |= bitStars
	}
	switch {
	case f.cert == -1,
		f.cert >= 0 && f.cert < 8 && d.certs&(1<<f.cert) != 0,
		f.cert >= 8 && d.moreCerts && ix.hasCertAt(&ix.attr[ord], ord, f.cert):
		m |= bitCert
	}
	if f.coop == -1 || f.coop >= 0 && d.coop == uint32(f.coop) {
		m |= bitCoop
	}
	return m
}

// countMoreCerts counts in n the certifications numbered 8 or more of
// the document at ord.
func (ix *index) countMoreCerts(ord uint32, n []int32) {
	d := &ix.attr[ord]
	for b := d.certs >> 8; b != 0; b &= b - 1 {
		n[8+bits.TrailingZeros64(b)]++
	}
	if d.moreCerts {
		for _, c := range ix.moreCerts[ix.docs[ord].id] {
			n[c]++
		}
	}
}

// cand is a hit before ordering: key orders it (higher first), then its
// ID; score is set for the hits that are scored.
type cand struct {
	key   float64
	score float64
	idHi  uint64 // the ID's first 8 bytes, which break most ties
	ord   uint32
	tier  uint8 // 2: every word in the name; 1: matched outside the description; 0: loosely
	loose bool  // matched loosely: after every real match, whatever the order
}

// evaluation is what a query finds in the index.
type evaluation struct {
	total, loose int
	dropped      []string
	facets       search.Facets
	page         []pageDoc
}

// pageDoc is a document of the page, as the index holds it, with how it
// matched the text.
type pageDoc struct {
	id      uuid.UUID
	version int64
	match   string
}

// Bounds of the work of one search: the best scoreWindow hits by their
// tier and static rank get the full score and are ordered by it; hits
// after them stay in that order.
const scoreWindow = 64

// evaluate finds, counts, facets and orders q's hits and returns the
// ordinals of the page at offset off. c is q's text, compiled; hasText
// tells whether there is any.
func (ix *index) evaluate(q search.Query, c *compiled, hasText bool, off int) evaluation {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	f := ix.filter(q)
	sc.prov, sc.group = zeroed(sc.prov, len(ix.provs.values)), zeroed(sc.group, len(ix.groups.values))
	sc.cert, sc.coop = zeroed(sc.cert, len(ix.certs.values)), zeroed(sc.coop, len(ix.coops))
	sc.stars = [6]int32{}
	if !hasText {
		if ev, ok := ix.evaluateList(q, &f, off, sc); ok {
			return ev
		}
	}
	all := ix.alive
	// The facets count the real matches, or the loose ones when there is
	// no real match at all.
	countLoose := false
	var dropped []string
	if hasText {
		dropped = ix.match(c, sc)
		all = sc.all
		countLoose = sc.matched.empty()
	}
	// The keys of sortKey, read from hot, price and created rather than
	// attrs.
	var keyOf func(d *attrs, tier uint8) float64
	hotKey := 0 // 1: relevance, 2: stars, 3: price ascending, 4: descending, 5: newest
	switch q.Sort {
	case search.SortRelevance:
		hotKey = 1
	case search.SortStars:
		hotKey = 2
	case search.SortPriceAsc:
		hotKey = 3
	case search.SortPriceDesc:
		hotKey = 4
	case search.SortNewest:
		hotKey = 5
	default:
		keyOf = sortKey(q.Sort)
	}
	// Only the best k hits are kept, in a heap as they come (the worst
	// of them at the root): the others are counted, never stored.
	scored := hasText && (q.Sort == search.SortRelevance || q.Sort == search.SortStars)
	k := off + q.PerPage
	if scored {
		k = max(k, scoreWindow)
	}
	o := ix.order(q.Sort)
	hits := sc.hits[:0]
	total, loose := 0, 0
	filtered, faceted := f.anyBase(), f.anyFaceted()
	for wi, word := range all {
		for ; word != 0; word &= word - 1 {
			ord := uint32(wi*64 + bits.TrailingZeros64(word))
			if filtered && !f.base(&ix.attr[ord]) {
				continue
			}
			d := &ix.hot[ord]
			var tier uint8
			if hasText {
				if sc.name.has(ord) {
					tier = 2
				} else if sc.matched.has(ord) {
					tier = 1
				}
			}
			real := !hasText || tier > 0
			m := bitsAll
			if faceted {
				m = ix.maskHot(&f, d, ord)
			}
			if real != countLoose {
				if m|bitProvince == bitsAll {
					sc.prov[d.prov]++
				}
				if m|bitGroup == bitsAll {
					sc.group[d.group]++
				}
				if m|bitStars == bitsAll {
					sc.stars[d.stars]++
				}
				if m|bitCert == bitsAll {
					for b := d.certs; b != 0; b &= b - 1 {
						sc.cert[bits.TrailingZeros8(b)]++
					}
					if d.moreCerts {
						ix.countMoreCerts(ord, sc.cert)
					}
				}
				if m|bitCoop == bitsAll {
					sc.coop[d.coop]++
				}
			}
			if m != bitsAll {
				continue
			}
			if real {
				total++
			} else {
				loose++
			}
			var key float64
			switch hotKey {
			case 1:
				key = float64(tier)*16 + float64(d.rank)
			case 2:
				key = float64(d.stars)*64 + float64(tier)*16 + float64(d.rank)
			case 3:
				key = -float64(ix.price[ord])
			case 4:
				key = float64(ix.price[ord])
			case 5:
				key = float64(ix.created[ord])
			default:
				key = keyOf(&ix.attr[ord], tier)
			}
			h := cand{key: key, idHi: d.idHi, ord: ord, tier: tier, loose: !real}
			switch {
			case len(hits) < k:
				if hits = append(hits, h); len(hits) == k {
					for i := k/2 - 1; i >= 0; i-- {
						siftDown(hits, i, o)
					}
				}
			case k > 0 && o.better(&h, &hits[0]):
				hits[0] = h
				siftDown(hits, 0, o)
			}
		}
	}
	sc.hits = hits
	ev := evaluation{total: total, loose: loose, dropped: dropped, facets: ix.facets(sc)}
	if !scored || len(hits) > scoreWindow {
		// (The score orders a window of every hit kept by itself.)
		slices.SortFunc(hits, o.cmp)
	}
	top := hits
	if scored {
		w := top[:min(scoreWindow, len(top))]
		for i := range w {
			w[i].score = c.score(ix, &ix.docs[w[i].ord], sc)
		}
		slices.SortFunc(w, ix.byScore(q.Sort))
	}
	for _, h := range top[min(off, len(top)):min(off+q.PerPage, len(top))] {
		d := &ix.docs[h.ord]
		ev.page = append(ev.page, pageDoc{d.id, d.version, matchKind(hasText, h, c, sc)})
	}
	return ev
}

// matchKind names how a hit matched the text (search.Match…).
func matchKind(hasText bool, h cand, c *compiled, sc *scratch) string {
	switch {
	case !hasText:
		return ""
	case !h.loose:
		return search.MatchExact
	case sc.exact.has(h.ord):
		return search.MatchDescription
	}
	for _, u := range c.units {
		if u.typo {
			return search.MatchTypo
		}
	}
	return search.MatchPrefix
}

// sortKey returns the primary order of a sort, higher first.
func sortKey(sort string) func(d *attrs, tier uint8) float64 {
	switch sort {
	case search.SortPriceAsc:
		return func(d *attrs, _ uint8) float64 { return -float64(d.price) }
	case search.SortPriceDesc:
		return func(d *attrs, _ uint8) float64 { return float64(d.price) }
	case search.SortNewest:
		return func(d *attrs, _ uint8) float64 { return float64(d.created) }
	case search.SortStars:
		return func(d *attrs, tier uint8) float64 { return float64(d.stars)*64 + float64(tier)*16 + float64(d.rank) }
	}
	return func(d *attrs, tier uint8) float64 { return float64(tier)*16 + float64(d.rank) }
}

// order orders hits by key, then ID (descending IDs for the newest, as
// the order by creation goes). It is a type, not a func value, so that
// comparing two hits allocates nothing.
type order struct {
	docs []memDoc
	desc bool
}

func (ix *index) order(sort string) order { return order{ix.docs, sort == search.SortNewest} }

// better reports whether a goes before b.
func (o order) better(a, b *cand) bool {
	if a.loose != b.loose {
		return b.loose
	}
	if a.key != b.key {
		return a.key > b.key
	}
	c := cmp.Compare(a.idHi, b.idHi)
	if c == 0 {
		c = compareIDs(&o.docs[a.ord].id, &o.docs[b.ord].id)
	}
	if o.desc {
		return c > 0
	}
	return c < 0
}

func (o order) cmp(a, b cand) int {
	if o.better(&a, &b) {
		return -1
	}
	if o.better(&b, &a) {
		return 1
	}
	return 0
}

// compareIDs compares two IDs in byte order, as two big-endian words
// (bytes.Compare is a call per comparison, and ties are common).
func compareIDs(a, b *uuid.UUID) int {
	a0, b0 := binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8])
	if a0 != b0 {
		return cmp.Compare(a0, b0)
	}
	return cmp.Compare(binary.BigEndian.Uint64(a[8:]), binary.BigEndian.Uint64(b[8:]))
}

// byScore orders scored hits: by score, then stars, then ID; for the
// stars sort, by stars first.
func (ix *index) byScore(sort string) func(a, b cand) int {
	return func(a, b cand) int {
		da, db := &ix.docs[a.ord], &ix.docs[b.ord]
		if a.loose != b.loose {
			if a.loose {
				return 1
			}
			return -1
		}
		if sort == search.SortStars {
			if c := cmp.Compare(db.stars, da.stars); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(db.stars, da.stars), bytes.Compare(da.id[:], db.id[:]))
	}
}

// topK returns the k best of hits, best first, reordering hits.
func topK(hits []cand, k int, o order) []cand {
	if k <= 0 {
		return nil
	}
	if k*4 >= len(hits) {
		slices.SortFunc(hits, o.cmp)
		return hits[:k]
	}
	// A heap of the k best so far, the worst of them at the root.
	h := hits[:k]
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(h, i, o)
	}
	for i := k; i < len(hits); i++ {
		if o.better(&hits[i], &h[0]) {
			h[0] = hits[i]
			siftDown(h, 0, o)
		}
	}
	slices.SortFunc(h, o.cmp)
	return h
}

// siftDown restores the heap h (the worst at the root) below i.
func siftDown(h []cand, i int, o order) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		w := l
		if r := l + 1; r < len(h) && o.better(&h[l], &h[r]) {
			w = r
		}
		if !o.better(&h[i], &h[w]) {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// facets turns the counts in sc into the result's facets: each value's
// count, most frequent first, then by value, at most maxFacetValues; a
// facet without values is left out.
func (ix *index) facets(sc *scratch) search.Facets {
	out := search.Facets{}
	add := func(name string, n []int32, order *valueOrder, value func(i int) (string, string)) {
		// Sorting count and order packed in one number compares no text.
		keys := sc.keys[:0]
		for i, c := range n {
			if c > 0 {
				o := uint32(i)
				if order != nil {
					o = order.place[i]
				}
				keys = append(keys, uint64(^uint32(c))<<32|uint64(o))
			}
		}
		sc.keys = keys
		if len(keys) == 0 {
			return
		}
		slices.Sort(keys)
		keys = keys[:min(len(keys), maxFacetValues)]
		vs := make([]search.FacetValue, len(keys))
		for k, key := range keys {
			i := int(uint32(key))
			if order != nil {
				i = int(order.at[i])
			}
			v, label := value(i)
			vs[k] = search.FacetValue{Value: v, Count: int(^uint32(key >> 32)), Label: label}
		}
		out[name] = vs
	}
	add(search.FacetProvince, sc.prov, &ix.provs.order, func(i int) (string, string) { return ix.provs.values[i], "" })
	add(search.FacetGroup, sc.group, &ix.groups.order, func(i int) (string, string) { return ix.groups.values[i], "" })
	add(search.FacetStars, sc.stars[1:], nil, func(i int) (string, string) { return strconv.Itoa(i + 1), "" })
	add(search.FacetCertification, sc.cert, &ix.certs.order, func(i int) (string, string) { return ix.certs.values[i], "" })
	add(search.FacetCooperative, sc.coop, &ix.coopOrder, func(i int) (string, string) { return ix.coops[i].slug, ix.coops[i].name })
	return out
}
