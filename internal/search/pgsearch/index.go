package pgsearch

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// The in-memory index is this engine's copy of search_documents that
// queries run against: per document its tsv_full vector (lexemes with
// their positions and weights, as PostgreSQL computed them from the folded
// text) and its filter and sort columns; per lexeme the documents that have
// it. It is read from the database and kept current by mirror.go; a
// query finds every match, counts it and facets it in memory, then reads
// only its page's documents from the database.
//
// Documents are numbered in the order they were added (ordinals). A
// changed document gets a new ordinal and the old one is marked dead, so
// that posting lists only grow at their end; when dead ordinals pile up,
// the index is built again from its live documents (compact).

// Weights of a lexeme's position, as PostgreSQL stores them (WordEntryPos:
// the weight in the two high bits, 3 = A … 0 = D).
const (
	weightD = 0
	weightC = 1
	weightB = 2
	weightA = 3
)

// weightScores is what a match in each weight is worth in the score
// (D description, C cooperative and places, B keywords, A name).
var weightScores = [4]float64{0.05, 0.25, 0.5, 1.0}

// A posting is a document's ordinal shifted left by 4, with the set of
// weights its positions of the lexeme have in the low 4 bits.
const (
	maskD   = 1 << weightD
	maskC   = 1 << weightC
	maskB   = 1 << weightB
	maskA   = 1 << weightA
	maskABC = maskA | maskB | maskC
)

// memDoc is one document in the index: where its vector and texts are
// in the index's arenas, and its filter and sort columns. It holds no
// pointer, so that the garbage collector never walks the index.
type memDoc struct {
	id      uuid.UUID
	version int64
	// Lexeme ids ascending in lex[lexStart:lexEnd]; the positions of
	// lex[i] are pos[lexOff[i]:lexOff[i+1]], the last one's end posEnd.
	lexStart, lexEnd, posEnd uint32
	// The name's words with their tones are text[textStart:textEnd], each
	// ended by a 0 byte.
	textStart, textEnd uint32
	// The trigrams of the folded name, for its similarity to a query,
	// are tri[triStart:triEnd].
	triStart, triEnd uint32
	// Its toned words (tones.go) are ttok[tStart:tEnd], each a toned id
	// shifted left by 4 with its weights.
	tStart, tEnd uint32
	// Its name as shown and its slug, for suggestions, are
	// disp[dispStart:dispEnd], separated by a 0 byte.
	dispStart, dispEnd uint32
	attrs
}

// attrs are a document's filter and sort columns.
type attrs struct {
	idHi    uint64 // the ID's first 8 bytes, big-endian: ties in an order compare these first
	price   int64
	created int64 // µs since 1970, the product's creation
	rank    float32
	coop    uint32
	certs   uint64 // bit i: certification i of the index's table, for the first 64
	prov    uint16
	group   uint16
	season  uint16 // bit m for month m; 0: all year
	stars   uint8
	inStock bool
	// moreCerts tells that the document has certifications numbered 64 or
	// more, kept in the index's moreCerts.
	moreCerts bool
}

// hotAttrs are what a search reads of each of its matches to count it in
// the facets and to place it in the relevance order, in 24 bytes: those
// of 100,000 documents (2.4 MB) stay in a core's cache, where attrs (5.6
// MB) do not, and a word can match a tenth of the catalog.
type hotAttrs struct {
	idHi  uint64 // as in attrs: most ties in an order are broken by it
	rank  float32
	coop  uint32
	prov  uint16
	group uint16
	stars uint8
	certs uint8 // bit i: certification i of the index's table, for the first 8
	// moreCerts tells that the document has certifications numbered 8
	// or more: attrs holds them.
	moreCerts bool
}

func hotOf(d *attrs) hotAttrs {
	return hotAttrs{idHi: d.idHi, rank: d.rank, coop: d.coop, prov: d.prov, group: d.group, stars: d.stars, certs: uint8(d.certs),
		moreCerts: d.certs>>8 != 0 || d.moreCerts}
}

// positions returns the positions of lexeme t in d, or nil.
func (ix *index) positions(d *memDoc, t uint32) []uint16 {
	i, ok := slices.BinarySearch(ix.lex[d.lexStart:d.lexEnd], t)
	if !ok {
		return nil
	}
	return ix.posAt(d, d.lexStart+uint32(i))
}

// posAt returns the positions of d's lexeme at j in the arena.
func (ix *index) posAt(d *memDoc, j uint32) []uint16 {
	end := d.posEnd
	if j+1 < d.lexEnd {
		end = ix.lexOff[j+1]
	}
	return ix.pos[ix.lexOff[j]:end]
}

// hasToned reports whether d's name has the word w, tones as written.
func (ix *index) hasToned(d *memDoc, w string) bool {
	t := ix.text[d.textStart:d.textEnd]
	n := len(w)
	for i := 0; i < len(t); i++ {
		// i is the start of a word: compare, then skip to its end.
		if i+n < len(t) && t[i+n] == 0 && string(t[i:i+n]) == w {
			return true
		}
		for i < len(t) && t[i] != 0 {
			i++
		}
	}
	return false
}

// hasCert reports whether d has the certification numbered c.
// hasCertAt reports whether the document at ord, whose attributes are d,
// has the certification numbered c.
func (ix *index) hasCertAt(d *attrs, ord uint32, c int) bool {
	if c < 64 {
		return d.certs&(1<<c) != 0
	}
	return d.moreCerts && slices.Contains(ix.moreCerts[ix.docs[ord].id], uint16(c))
}

func (ix *index) hasCert(d *memDoc, c int) bool {
	if c < 64 {
		return d.certs&(1<<c) != 0
	}
	return d.moreCerts && slices.Contains(ix.moreCerts[d.id], uint16(c))
}

// memCoop is a cooperative, shared by its products.
type memCoop struct {
	slug, name string
	ids        []uint32 // the lexemes of its name's words, in order
	prov       uint16   // the province of its latest product
}

// table numbers the values of a text column (provinces, groups,
// certifications).
type table struct {
	ids    map[string]uint16
	values []string
	order  valueOrder // settle
}

// settle computes the order of the values.
func (t *table) settle() {
	if len(t.order.place) != len(t.values) {
		t.order = newValueOrder(len(t.values), func(i int) string { return t.values[i] })
	}
}

// valueOrder is the byte order of a list of values: each value's place,
// and the value at each place.
type valueOrder struct{ place, at []uint32 }

func newValueOrder(n int, value func(i int) string) valueOrder {
	o := valueOrder{place: make([]uint32, n), at: make([]uint32, n)}
	for i := range o.at {
		o.at[i] = uint32(i)
	}
	slices.SortFunc(o.at, func(a, b uint32) int { return strings.Compare(value(int(a)), value(int(b))) })
	for place, i := range o.at {
		o.place[i] = uint32(place)
	}
	return o
}

func (o valueOrder) clone() valueOrder {
	return valueOrder{slices.Clone(o.place), slices.Clone(o.at)}
}

func (t *table) id(v string) uint16 {
	if id, ok := t.ids[v]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = map[string]uint16{}
	}
	id := uint16(len(t.values))
	t.ids[v] = id
	t.values = append(t.values, v)
	return id
}

func (t *table) clone() table {
	c := table{ids: make(map[string]uint16, len(t.ids)), values: slices.Clone(t.values), order: t.order.clone()}
	for k, v := range t.ids {
		c.ids[k] = v
	}
	return c
}

// dict numbers the lexemes and finds those with a prefix, and those near
// a misspelt word by their trigrams.
type dict struct {
	ids    map[string]uint32
	words  []string // by id
	sorted []uint32 // ids in byte order of their words; ids from len(sorted) on are not yet in it
	// byTrigram lists the lexemes with each trigram (see trigrams);
	// ntri[id] is how many distinct trigrams lexeme id has.
	byTrigram map[uint32][]uint32
	ntri      []uint16
}

func (d *dict) lookup(w string) (uint32, bool) {
	id, ok := d.ids[w]
	return id, ok
}

func (d *dict) add(w string) uint32 {
	if id, ok := d.ids[w]; ok {
		return id
	}
	if d.ids == nil {
		d.ids = map[string]uint32{}
	}
	id := uint32(len(d.words))
	d.ids[w] = id
	d.words = append(d.words, w)
	if d.byTrigram == nil {
		d.byTrigram = map[uint32][]uint32{}
	}
	tri := trigrams(nil, []byte(w))
	for _, t := range tri {
		d.byTrigram[t] = append(d.byTrigram[t], id)
	}
	d.ntri = append(d.ntri, uint16(min(len(tri), 0xffff)))
	return id
}

// settle puts the ids added since the last call in order.
func (d *dict) settle() {
	if len(d.sorted) == len(d.words) {
		return
	}
	fresh := make([]uint32, 0, len(d.words)-len(d.sorted))
	for id := len(d.sorted); id < len(d.words); id++ {
		fresh = append(fresh, uint32(id))
	}
	byWord := func(a, b uint32) int { return strings.Compare(d.words[a], d.words[b]) }
	slices.SortFunc(fresh, byWord)
	merged := make([]uint32, 0, len(d.words))
	i, j := 0, 0
	for i < len(d.sorted) && j < len(fresh) {
		if byWord(d.sorted[i], fresh[j]) <= 0 {
			merged = append(merged, d.sorted[i])
			i++
		} else {
			merged = append(merged, fresh[j])
			j++
		}
	}
	merged = append(merged, d.sorted[i:]...)
	d.sorted = append(merged, fresh[j:]...)
}

// prefixed returns the ids of the words that start with p, p included.
func (d *dict) prefixed(p string) []uint32 {
	lo, _ := slices.BinarySearchFunc(d.sorted, p, func(id uint32, p string) int { return strings.Compare(d.words[id], p) })
	hi := lo
	for hi < len(d.sorted) && strings.HasPrefix(d.words[d.sorted[hi]], p) {
		hi++
	}
	return d.sorted[lo:hi]
}

// index is the in-memory index. Queries hold mu for reading; mirror.go
// applies changes holding it for writing, or builds a new index and swaps
// it in.
type index struct {
	mu sync.RWMutex

	// version is the highest change (search_version_seq) the index holds;
	// epoch is search_state.epoch when it was loaded.
	version, epoch int64

	dict dict
	post [][]uint32 // by lexeme id
	// df is, by lexeme id, how many live documents have the lexeme: a
	// word whose documents are all gone is not in the index any more,
	// though the dictionary keeps it until the index is compacted.
	df   []uint32
	docs []memDoc // by ordinal
	// attr holds the documents' attributes again, by ordinal, packed
	// apart: the loops over every match read these only.
	attr []attrs
	// hot holds, by ordinal, the attributes a search reads of every
	// match (hotAttrs).
	hot []hotAttrs
	// price and created hold the orders by price and by creation, by
	// ordinal, apart for the same reason.
	price, created []int64
	alive          bitset
	live           int
	byID           map[uuid.UUID]uint32
	coops          []memCoop
	coopID         map[string]uint32
	// coopOrder is the byte order of the cooperatives' slugs.
	coopOrder valueOrder
	provs     table
	groups    table
	certs     table
	// The arenas of the documents' vectors, texts and name trigrams.
	lex, lexOff []uint32
	pos         []uint16
	text        []byte
	tri         []uint32
	// The toned words: their dictionary, the documents' entries, and by
	// toned id the postings (ordinal << 4 | weights) and how many live
	// documents have it.
	tdict tonedDict
	ttok  []uint32
	tpost [][]uint32
	tdf   []uint32
	// disp holds the documents' names and slugs; places the names of each
	// province (current first, then former), by province id.
	disp   []byte
	places [][]string
	// sugg are the keys of suggestions (suggest.go), built when asked
	// for after a change.
	sugg suggestions
	// moreCerts holds the certifications numbered 64 or more, by
	// document.
	moreCerts map[uuid.UUID][]uint16
	// phrases caches the documents of phrases (phraseSets); a change
	// empties it.
	phraseMu sync.Mutex
	phrases  map[string]*phraseSets
	// orders are the live ordinals by sort, for lists (list.go); a
	// change empties them.
	orders orders
}

func newIndex() *index {
	return &index{byID: map[uuid.UUID]uint32{}, coopID: map[string]uint32{}, moreCerts: map[uuid.UUID][]uint16{}}
}

// docRow is a row of search_documents as the mirror reads it.
type docRow struct {
	ID              uuid.UUID
	Version         int64
	TSV             string
	NameFolded      string
	NameWords       []string
	Name            string
	Slug            string
	Keywords        string
	Places          string
	Description     string
	CooperativeSlug string
	CooperativeName string
	Province        string
	Group           string
	Stars           int
	Certifications  []string
	SeasonMonths    []int64
	Price           int64
	InStock         bool
	CreatedAt       time.Time
	StaticRank      float32
}

// put adds or replaces the document of r.
func (ix *index) put(r docRow) error {
	vec, err := parseVector(r.TSV)
	if err != nil {
		return fmt.Errorf("pgsearch: document %s: %w", r.ID, err)
	}
	ix.putParsed(r, vec)
	return nil
}

// putParsed adds or replaces the document of r, whose vector is vec. It
// cannot fail, so that a batch whose vectors all parsed is applied whole.
func (ix *index) putParsed(r docRow, vec []vecEntry) {
	d := memDoc{id: r.ID, version: r.Version, attrs: attrs{idHi: binary.BigEndian.Uint64(r.ID[:8]),
		prov: ix.provs.id(r.Province), group: ix.groups.id(r.Group), stars: uint8(min(max(r.Stars, 0), 5)),
		inStock: r.InStock, price: r.Price, created: r.CreatedAt.UnixMicro(), rank: r.StaticRank,
		coop: ix.coop(r.CooperativeSlug, r.CooperativeName),
	}}
	var more []uint16
	for _, c := range r.Certifications {
		id := ix.certs.id(c)
		if id < 64 {
			d.certs |= 1 << id
		} else {
			more = append(more, id)
		}
	}
	for _, m := range r.SeasonMonths {
		if m >= 1 && m <= 12 {
			d.season |= 1 << m
		}
	}
	ix.putVector(&d, vec)
	d.textStart = uint32(len(ix.text))
	for _, w := range r.NameWords {
		ix.text = append(append(ix.text, w...), 0)
	}
	d.textEnd = uint32(len(ix.text))
	d.triStart = uint32(len(ix.tri))
	ix.tri = trigrams(ix.tri, []byte(r.NameFolded))
	d.triEnd = uint32(len(ix.tri))
	d.tStart = uint32(len(ix.ttok))
	for w, m := range tonedEntries(r) {
		ix.ttok = append(ix.ttok, ix.tdict.add(w)<<4|uint32(m))
	}
	d.tEnd = uint32(len(ix.ttok))
	d.dispStart = uint32(len(ix.disp))
	ix.disp = append(append(append(ix.disp, r.Name...), 0), r.Slug...)
	d.dispEnd = uint32(len(ix.disp))
	for int(d.prov) >= len(ix.places) {
		ix.places = append(ix.places, nil)
	}
	if r.Places != "" {
		ix.places[d.prov] = strings.Split(r.Places, " ; ")
	}
	ix.coops[d.coop].prov = d.prov
	ix.remove(r.ID)
	if d.moreCerts = len(more) > 0; d.moreCerts {
		ix.moreCerts[r.ID] = more
	}
	ix.add(d)
}

// add appends d, whose vector and texts are in the arenas, as a new
// ordinal.
func (ix *index) add(d memDoc) {
	ix.phrases = nil
	ix.forgetOrders()
	ord := uint32(len(ix.docs))
	ix.docs = append(ix.docs, d)
	ix.attr = append(ix.attr, d.attrs)
	ix.hot = append(ix.hot, hotOf(&d.attrs))
	ix.price, ix.created = append(ix.price, d.price), append(ix.created, d.created)
	ix.alive = ix.alive.grow(len(ix.docs))
	ix.alive.set(ord)
	ix.live++
	ix.byID[d.id] = ord
	for j := d.lexStart; j < d.lexEnd; j++ {
		var m uint32
		for _, p := range ix.posAt(&d, j) {
			m |= 1 << (p >> 14)
		}
		t := ix.lex[j]
		for int(t) >= len(ix.post) {
			ix.post = append(ix.post, nil)
			ix.df = append(ix.df, 0)
		}
		ix.post[t] = append(ix.post[t], ord<<4|m)
		ix.df[t]++
	}
	for _, tk := range ix.ttok[d.tStart:d.tEnd] {
		t := tk >> 4
		for int(t) >= len(ix.tpost) {
			ix.tpost = append(ix.tpost, nil)
			ix.tdf = append(ix.tdf, 0)
		}
		ix.tpost[t] = append(ix.tpost[t], ord<<4|tk&0xf)
		ix.tdf[t]++
	}
}

// tonedLive returns the id of the toned word w when a live document has
// it.
func (ix *index) tonedLive(w string) (uint32, bool) {
	id, ok := ix.tdict.ids[w]
	return id, ok && int(id) < len(ix.tdf) && ix.tdf[id] > 0
}

// known reports whether a live document has the word w, and its id.
func (ix *index) known(w string) (uint32, bool) {
	id, ok := ix.dict.lookup(w)
	return id, ok && ix.inUse(id)
}

// inUse reports whether a live document has the lexeme id.
func (ix *index) inUse(id uint32) bool { return int(id) < len(ix.df) && ix.df[id] > 0 }

// knownPrefix reports whether a word of a live document starts with p.
func (ix *index) knownPrefix(p string) bool {
	return slices.ContainsFunc(ix.dict.prefixed(p), ix.inUse)
}

// remove marks the document id dead; an unknown id is ignored.
func (ix *index) remove(id uuid.UUID) {
	ord, ok := ix.byID[id]
	if !ok {
		return
	}
	ix.phrases = nil
	ix.forgetOrders()
	delete(ix.byID, id)
	delete(ix.moreCerts, id)
	ix.alive.clear(ord)
	ix.live--
	d := &ix.docs[ord]
	for _, t := range ix.lex[d.lexStart:d.lexEnd] {
		ix.df[t]--
	}
	for _, tk := range ix.ttok[d.tStart:d.tEnd] {
		ix.tdf[tk>>4]--
	}
}

// dead is how many ordinals are dead.
func (ix *index) dead() int { return len(ix.docs) - ix.live }

func (ix *index) coop(slug, name string) uint32 {
	if id, ok := ix.coopID[slug]; ok {
		if c := &ix.coops[id]; c.name != name {
			c.name, c.ids = name, ix.wordIDs(name)
		}
		return id
	}
	id := uint32(len(ix.coops))
	ix.coops = append(ix.coops, memCoop{slug: slug, name: name, ids: ix.wordIDs(name)})
	ix.coopID[slug] = id
	return id
}

// wordIDs returns the lexemes of the folded words of s, in order.
func (ix *index) wordIDs(s string) []uint32 {
	ws := words(s)
	ids := make([]uint32, len(ws))
	for i, w := range ws {
		ids[i] = ix.dict.add(w)
	}
	return ids
}

// settle puts in order what a batch of puts added: new lexemes, the
// orders of facet values.
func (ix *index) settle() {
	ix.dict.settle()
	ix.provs.settle()
	ix.groups.settle()
	ix.certs.settle()
	if len(ix.coopOrder.place) != len(ix.coops) {
		ix.coopOrder = newValueOrder(len(ix.coops), func(i int) string { return ix.coops[i].slug })
	}
}

// vecEntry is one lexeme of a vector with its positions (weight in the
// two high bits).
type vecEntry struct {
	lex string
	pos []uint16
}

// readVector parses tsvector text output ('ca':1A,5C 'phe':2A) into d's
// lexemes and positions.
func (ix *index) readVector(d *memDoc, s string) error {
	vec, err := parseVector(s)
	if err != nil {
		return err
	}
	ix.putVector(d, vec)
	return nil
}

// parseVector parses tsvector text output ('ca':1A,5C 'phe':2A), leaving
// the index alone.
func parseVector(s string) ([]vecEntry, error) {
	var entries []vecEntry
	var all []uint16
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		if s[i] != '\'' {
			return nil, fmt.Errorf("tsvector: unexpected %q at %d", s[i], i)
		}
		i++
		var lex strings.Builder
		for {
			if i >= len(s) {
				return nil, fmt.Errorf("tsvector: unterminated lexeme")
			}
			c := s[i]
			if c == '\\' && i+1 < len(s) {
				lex.WriteByte(s[i+1])
				i += 2
				continue
			}
			if c == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					lex.WriteByte('\'')
					i += 2
					continue
				}
				i++
				break
			}
			lex.WriteByte(c)
			i++
		}
		start := len(all)
		if i < len(s) && s[i] == ':' {
			i++
			for {
				n := 0
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					n = n*10 + int(s[i]-'0')
					i++
				}
				w := uint16(weightD)
				if i < len(s) {
					switch s[i] {
					case 'A':
						w, i = weightA, i+1
					case 'B':
						w, i = weightB, i+1
					case 'C':
						w, i = weightC, i+1
					case 'D':
						i++
					}
				}
				all = append(all, w<<14|uint16(min(n, 0x3fff)))
				if i < len(s) && s[i] == ',' {
					i++
					continue
				}
				break
			}
		}
		entries = append(entries, vecEntry{lex: lex.String(), pos: all[start:len(all):len(all)]})
	}
	return entries, nil
}

// putVector numbers vec's lexemes and writes them, in id order, and their
// positions into the arenas as d's.
func (ix *index) putVector(d *memDoc, vec []vecEntry) {
	type entry struct {
		id  uint32
		pos []uint16
	}
	entries := make([]entry, len(vec))
	for i, e := range vec {
		entries[i] = entry{id: ix.dict.add(e.lex), pos: e.pos}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.id, b.id) })
	d.lexStart = uint32(len(ix.lex))
	for _, e := range entries {
		ix.lex = append(ix.lex, e.id)
		ix.lexOff = append(ix.lexOff, uint32(len(ix.pos)))
		ix.pos = append(ix.pos, e.pos...)
	}
	d.lexEnd, d.posEnd = uint32(len(ix.lex)), uint32(len(ix.pos))
}

// compact returns a new index of ix's live documents, renumbered, with
// ix's version, arenas without the dead documents and a dictionary of the
// words that live documents and cooperatives have.
func (ix *index) compact() *index {
	c := newIndex()
	c.version, c.epoch = ix.version, ix.epoch
	// Lexemes are numbered again as they come; renum maps the old ids.
	renum := make(map[uint32]uint32, ix.live)
	lexeme := func(old uint32) uint32 {
		id, ok := renum[old]
		if !ok {
			id = c.dict.add(ix.dict.words[old])
			renum[old] = id
		}
		return id
	}
	c.coops = slices.Clone(ix.coops)
	for i := range c.coops {
		ids := make([]uint32, len(c.coops[i].ids))
		for j, old := range c.coops[i].ids {
			ids[j] = lexeme(old)
		}
		c.coops[i].ids = ids
	}
	for k, v := range ix.coopID {
		c.coopID[k] = v
	}
	c.coopOrder = ix.coopOrder.clone()
	for k, v := range ix.moreCerts {
		c.moreCerts[k] = v
	}
	c.provs, c.groups, c.certs = ix.provs.clone(), ix.groups.clone(), ix.certs.clone()
	c.tdict = ix.tdict.clone()
	c.places = slices.Clone(ix.places)
	c.docs = make([]memDoc, 0, ix.live)
	type entry struct {
		id  uint32
		pos []uint16
	}
	var entries []entry
	ix.alive.each(func(ord uint32) {
		d := ix.docs[ord]
		n := memDoc{id: d.id, version: d.version, attrs: d.attrs}
		entries = entries[:0]
		for j := d.lexStart; j < d.lexEnd; j++ {
			entries = append(entries, entry{lexeme(ix.lex[j]), ix.posAt(&d, j)})
		}
		slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.id, b.id) })
		n.lexStart = uint32(len(c.lex))
		for _, e := range entries {
			c.lex = append(c.lex, e.id)
			c.lexOff = append(c.lexOff, uint32(len(c.pos)))
			c.pos = append(c.pos, e.pos...)
		}
		n.lexEnd, n.posEnd = uint32(len(c.lex)), uint32(len(c.pos))
		n.textStart = uint32(len(c.text))
		c.text = append(c.text, ix.text[d.textStart:d.textEnd]...)
		n.textEnd = uint32(len(c.text))
		n.triStart = uint32(len(c.tri))
		c.tri = append(c.tri, ix.tri[d.triStart:d.triEnd]...)
		n.triEnd = uint32(len(c.tri))
		n.tStart = uint32(len(c.ttok))
		c.ttok = append(c.ttok, ix.ttok[d.tStart:d.tEnd]...)
		n.tEnd = uint32(len(c.ttok))
		n.dispStart = uint32(len(c.disp))
		c.disp = append(c.disp, ix.disp[d.dispStart:d.dispEnd]...)
		n.dispEnd = uint32(len(c.disp))
		c.add(n)
	})
	c.dict.settle()
	return c
}

// bitset is a set of ordinals.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// grow returns b with room for n ordinals.
func (b bitset) grow(n int) bitset {
	for len(b)*64 < n {
		b = append(b, 0)
	}
	return b
}

func (b bitset) set(i uint32)      { b[i>>6] |= 1 << (i & 63) }
func (b bitset) clear(i uint32)    { b[i>>6] &^= 1 << (i & 63) }
func (b bitset) has(i uint32) bool { return b[i>>6]&(1<<(i&63)) != 0 }

// or adds to b the ordinals in o.
func (b bitset) or(o bitset) {
	for i := range min(len(b), len(o)) {
		b[i] |= o[i]
	}
}

// and keeps in b the ordinals also in o.
func (b bitset) and(o bitset) {
	for i := range b {
		if i < len(o) {
			b[i] &= o[i]
		} else {
			b[i] = 0
		}
	}
}

// each calls fn for every ordinal in b, ascending.
func (b bitset) each(fn func(i uint32)) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(uint32(wi*64 + t))
			w &= w - 1
		}
	}
}
