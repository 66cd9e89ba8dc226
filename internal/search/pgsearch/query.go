package pgsearch

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/lib/pq"

	"htxmarket/internal/search"
)

// Bounds of a query's work, whatever the service let through.
const (
	maxWords = 8
	// fuzzyMinLen is the shortest word that typo tolerance rewrites: a typo
	// in a shorter word is too often another word.
	fuzzyMinLen = 4
	// nearSimilarity is the least similarity of a lexeme near a misspelt
	// word (stricter than pg_trgm's default 0.3 for its % operator), and
	// nearTerms how many of the nearest replace it.
	nearSimilarity = 0.45
	nearTerms      = 3
)

// unit is one thing a document must match: a query word or a synonym
// term, through any of its alternatives.
type unit struct {
	alts  [][]term // phrases, the typed words first
	typed []qword  // the words as typed
	// single: one typed word without synonyms.
	single bool
	// prefix: the last word may match as the start of a word (it is
	// being typed, or is not a whole word of the index).
	prefix bool
	// loose are the alternatives of a word the index does not have as
	// typed: the same letters with other tones, the word in any tone,
	// or its nearest lexemes (typos).
	loose [][]term
}

// plan is a query's text made ready for the index.
type plan struct {
	units  []unit
	toned  []string // words typed with marks, lowercased
	folded string   // the whole query folded, words joined by spaces
	typing bool
}

func (p plan) empty() bool { return len(p.units) == 0 }

// newPlan splits text into units, expanding synonyms. typing says the
// text is still being typed.
func newPlan(text string, syn *synonyms, typing bool) plan {
	ws := queryWords(text)
	if len(ws) > maxWords {
		ws = ws[:maxWords]
	}
	folds := make([]string, len(ws))
	for i, w := range ws {
		folds[i] = w.fold
	}
	p := plan{toned: nonNil(tonedWords(text)), folded: strings.Join(folds, " "), typing: typing}
	open := text != "" && !endsWithSeparator(text)
	for i := 0; i < len(ws); {
		alts, n := syn.match(ws[i:])
		if n == 0 {
			alts, n = [][]term{{termOf(ws[i])}}, 1
		}
		u := unit{alts: alts, typed: ws[i : i+n], single: n == 1 && len(alts) == 1}
		i += n
		u.prefix = i == len(ws) && open
		p.units = append(p.units, u)
	}
	return p
}

func endsWithSeparator(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
}

// has reports whether a live document has the typed word as typed.
func (ix *index) has(w qword) bool {
	if w.toned {
		_, ok := ix.tonedLive(w.raw)
		return ok
	}
	_, ok := ix.known(w.fold)
	return ok
}

// lookupVocabulary settles what the index can say of each unit: a
// submitted query's last word matches as a prefix only when it is not a
// whole word of the index; a word the index does not have as typed
// matches loosely, by the first of: the same letters with other tones
// (nâm → nấm), the word in any tone, its nearest lexemes (typos).
func (ix *index) lookupVocabulary(p *plan) {
	for i := range p.units {
		u := &p.units[i]
		whole := !u.single || ix.has(u.typed[0])
		if u.prefix && !p.typing && whole {
			u.prefix = false
		}
		if !u.single || whole {
			continue
		}
		w := u.typed[0]
		if w.toned {
			for _, id := range ix.tdict.base[detone(w.raw)] {
				if form := ix.tdict.words[id]; form != w.raw && int(id) < len(ix.tdf) && ix.tdf[id] > 0 {
					u.loose = append(u.loose, []term{{fold: w.fold, toned: form}})
				}
			}
			if len(u.loose) == 0 {
				if _, ok := ix.known(w.fold); ok {
					u.loose = append(u.loose, []term{{fold: w.fold}})
				}
			}
		}
		if len(u.loose) > 0 || len(w.fold) < fuzzyMinLen || u.prefix && ix.knownPrefix(w.fold) && !w.toned {
			continue
		}
		if _, ok := ix.known(w.fold); ok {
			continue
		}
		for _, n := range ix.near(w.fold, nearSimilarity) {
			u.loose = append(u.loose, []term{{fold: n}})
		}
	}
	// A submitted word with a misspelling's alternatives is not read as
	// the start of a word too.
	if n := len(p.units); n > 0 && !p.typing && len(p.units[n-1].loose) > 0 {
		p.units[n-1].prefix = false
	}
}

// near returns the nearTerms lexemes most similar to word by pg_trgm's
// similarity (computed in float4 as PostgreSQL does), at least least,
// most similar first, then in byte order. Only lexemes that documents
// have count.
func (ix *index) near(word string, least float64) []string {
	tw := trigrams(nil, []byte(word))
	if len(tw) == 0 {
		return nil
	}
	common := map[uint32]int{}
	for _, t := range tw {
		for _, id := range ix.dict.byTrigram[t] {
			common[id]++
		}
	}
	type cand struct {
		word string
		sim  float32
	}
	var best []cand
	for id, n := range common {
		if !ix.inUse(id) {
			continue
		}
		sim := float32(n) / float32(len(tw)+int(ix.dict.ntri[id])-n)
		if float64(sim) >= least {
			best = append(best, cand{ix.dict.words[id], sim})
		}
	}
	slices.SortFunc(best, func(a, b cand) int { return cmp.Or(cmp.Compare(b.sim, a.sim), strings.Compare(a.word, b.word)) })
	out := make([]string, 0, min(len(best), nearTerms))
	for _, t := range best[:min(len(best), nearTerms)] {
		out = append(out, t.word)
	}
	return out
}

// prefixUpper is the smallest string above every word starting with w, in
// byte order (w is [a-z0-9]+).
func prefixUpper(w string) string {
	b := []byte(w)
	b[len(b)-1]++
	return string(b)
}

// matcher reports whether a word of a text matched the plan, for
// highlights: a toned alternative by its exact form (lowercased, NFC), any
// other by its folded form.
func (p plan) matcher() func(lower, folded string) bool {
	exact, any := map[string]bool{}, map[string]bool{}
	var prefixes []string
	add := func(t term) {
		if t.toned != "" {
			exact[t.toned] = true
		} else {
			any[t.fold] = true
		}
	}
	for _, u := range p.units {
		for _, a := range u.alts {
			for _, t := range a {
				add(t)
			}
		}
		for _, a := range u.loose {
			for _, t := range a {
				add(t)
			}
		}
		if u.prefix {
			prefixes = append(prefixes, u.typed[len(u.typed)-1].fold)
		}
	}
	return func(lower, f string) bool {
		if any[f] || len(exact) > 0 && exact[lower] {
			return true
		}
		for _, pre := range prefixes {
			if strings.HasPrefix(f, pre) {
				return true
			}
		}
		return false
	}
}

// Search answers a validated query from the in-memory index: every match
// is found, counted and faceted there (Total is exact), misspelt words are
// replaced there by their nearest lexemes, and only the page's documents
// are read from search_documents (those the document cache does not
// hold).
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = 20
	}
	if !slices.Contains(sorts, q.Sort) {
		q.Sort = search.SortRelevance
	}
	key := queryKey(q)
	if r, ok := get(e.cache, e.cache.resultsMap(), key); ok {
		return copyResult(r), nil
	}
	ix, err := e.current(ctx)
	if err != nil {
		return search.Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	gen := e.cache.generation()
	p := newPlan(q.Text, e.synonyms(ctx), q.Typing)
	off := (q.Page - 1) * q.PerPage
	// The evaluation is CPU work: at most one per processor runs, the
	// others wait in arrival order. Searches waiting for the database
	// (a page's documents, a misspelt word) then get a processor as soon
	// as their answer arrives, instead of queueing behind every runnable
	// search.
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return search.Result{}, fmt.Errorf("pgsearch: search: %w", ctx.Err())
	}
	ix.mu.RLock()
	ix.lookupVocabulary(&p)
	c := ix.compile(p)
	ev := ix.evaluate(q, &c, !p.empty(), off)
	var alts []search.Alternative
	if !p.empty() && ev.total+ev.loose == 0 {
		alts = ix.alternatives(q, p, e.synonyms(ctx))
	}
	ix.mu.RUnlock()
	<-e.slots
	res := search.Result{Hits: []search.Hit{}, Total: ev.total, Loose: ev.loose, Dropped: ev.dropped, TotalExact: true,
		Facets: ev.facets, Alternatives: alts, Page: q.Page, PerPage: q.PerPage, Engine: e.Name()}
	docs, err := e.cachedDocuments(ctx, ev.page)
	if err != nil {
		return search.Result{}, err
	}
	var match func(lower, folded string) bool
	if !p.empty() {
		match = p.matcher()
	}
	res.Hits = make([]search.Hit, 0, len(docs))
	for i := range docs {
		d := &docs[i]
		h := search.Hit{Document: d.doc}
		if !p.empty() {
			h.Highlights = highlights(d, match)
			for _, pd := range ev.page {
				if pd.id == d.doc.ID {
					h.Match = pd.match
				}
			}
		}
		res.Hits = append(res.Hits, h)
	}
	if e.cache != nil {
		put(e.cache, e.cache.resultsMap(), key, gen, copyResult(res))
	}
	return res, nil
}

var sorts = []string{search.SortRelevance, search.SortPriceAsc, search.SortPriceDesc, search.SortNewest, search.SortStars}

// documents returns the documents of a page, in its order: from the
// document cache when it holds the version the index has, else from
// search_documents (one query for all those missing). A document deleted
// since the index was read is left out.
func (e *Engine) documents(ctx context.Context, page []pageDoc) ([]search.Document, error) {
	docs, err := e.cachedDocuments(ctx, page)
	if err != nil {
		return nil, err
	}
	out := make([]search.Document, len(docs))
	for i := range docs {
		out[i] = docs[i].doc
	}
	return out, nil
}

// cachedDocuments is documents with the words of their highlighted
// fields.
func (e *Engine) cachedDocuments(ctx context.Context, page []pageDoc) ([]cachedDoc, error) {
	out := make([]cachedDoc, len(page))
	found := make([]bool, len(page))
	var missing []uuid.UUID
	for i, p := range page {
		if c, ok := e.docs.get(p.id); ok && c.version >= p.version {
			out[i], found[i] = c, true
			continue
		}
		missing = append(missing, p.id)
	}
	if len(missing) > 0 {
		const q = `
SELECT id, version, doc
FROM search_documents
WHERE id = ANY($1)`
		var rows []struct {
			ID      uuid.UUID `db:"id"`
			Version int64     `db:"version"`
			Doc     []byte    `db:"doc"`
		}
		if err := e.stmts.selectContext(ctx, e.db, &rows, q, pq.Array(missing)); err != nil {
			return nil, fmt.Errorf("pgsearch: read hits: %w", err)
		}
		for _, r := range rows {
			var d search.Document
			if err := json.Unmarshal(r.Doc, &d); err != nil {
				return nil, fmt.Errorf("pgsearch: decode document %s: %w", r.ID, err)
			}
			if d.Price == 0 {
				// Indexed before the price was named price_vnd.
				var old struct {
					Price int64 `json:"price"`
				}
				if json.Unmarshal(r.Doc, &old) == nil {
					d.Price = old.Price
				}
			}
			c := newCachedDoc(r.Version, d, len(r.Doc))
			e.docs.add(r.ID, c)
			for i, p := range page {
				if p.id == r.ID {
					out[i], found[i] = c, true
				}
			}
		}
	}
	kept := out[:0]
	for i, d := range out {
		if found[i] {
			kept = append(kept, d)
		}
	}
	return kept, nil
}

// cachedDoc is a document as search_documents held it at a version, the
// words of its highlighted fields, and about what it takes in memory.
type cachedDoc struct {
	version              int64
	doc                  search.Document
	nameWords, coopWords []fieldWord
	size                 int
}

// newCachedDoc returns d at version, read from raw bytes of JSON.
func newCachedDoc(version int64, d search.Document, raw int) cachedDoc {
	c := cachedDoc{version: version, doc: d, nameWords: fieldWords(d.Name), coopWords: fieldWords(d.CooperativeName)}
	c.size = 2*raw + fieldWordsSize(c.nameWords) + fieldWordsSize(c.coopWords)
	return c
}

// docCache keeps decoded documents, the least recently used going first
// when they take more than budget bytes: the pages shoppers ask for most
// then need no database. A document changes only with a new version, so
// the cache is never stale.
type docCache struct {
	lru    *lru.Cache[uuid.UUID, cachedDoc]
	budget int64
	mu     sync.Mutex // serialises add, so that bytes stays exact
	bytes  atomic.Int64
}

// docCacheBytes is the document cache's budget: some 40,000 documents of
// the sample catalog's size.
const docCacheBytes = 64 << 20

func newDocCache(budget int64) *docCache {
	c := &docCache{budget: budget}
	// The count bound is never the one reached: budget evicts first.
	c.lru, _ = lru.NewWithEvict(1<<30, func(_ uuid.UUID, d cachedDoc) { c.bytes.Add(-int64(d.size)) })
	return c
}

func (c *docCache) get(id uuid.UUID) (cachedDoc, bool) { return c.lru.Get(id) }

func (c *docCache) add(id uuid.UUID, d cachedDoc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.lru.Peek(id); ok {
		c.bytes.Add(-int64(old.size)) // Add replaces without an eviction
	}
	c.lru.Add(id, d)
	c.bytes.Add(int64(d.size))
	for c.bytes.Load() > c.budget && c.lru.Len() > 1 {
		c.lru.RemoveOldest()
	}
}

// highlights returns the name and cooperative name of d with their
// matching words marked, nil when none matches.
func highlights(d *cachedDoc, match func(lower, folded string) bool) map[string]string {
	var out map[string]string
	for _, f := range [...]struct {
		name, text string
		words      []fieldWord
	}{{"name", d.doc.Name, d.nameWords}, {"cooperative_name", d.doc.CooperativeName, d.coopWords}} {
		if h, ok := highlight(f.text, f.words, match); ok {
			if out == nil {
				out = make(map[string]string, 2)
			}
			out[f.name] = h
		}
	}
	return out
}

// maxFacetValues is how many values of a facet a result carries, the most
// frequent (Meilisearch's maxValuesPerFacet is the same): a common word's
// candidates come from hundreds of cooperatives, more than a shopper reads
// and more than a phone should download.
const maxFacetValues = 200

// alternativeSimilarity is the least similarity of a word offered in
// place of a word that finds nothing (looser than a typo's: the shopper
// chooses).
const alternativeSimilarity = 0.3

// alternatives returns up to three queries near p's text that find real
// matches under q's filters, most matches first: p's text with a word
// replaced by one of its nearest lexemes, or, for several words, with one
// left out. The caller holds ix.mu for reading.
func (ix *index) alternatives(q search.Query, p plan, syn *synonyms) []search.Alternative {
	var ws []qword
	for _, u := range p.units {
		ws = append(ws, u.typed...)
	}
	text := func(skip int, with string) string {
		out := make([]string, 0, len(ws))
		for i, w := range ws {
			switch {
			case i != skip:
				out = append(out, w.raw)
			case with != "":
				out = append(out, with)
			}
		}
		return strings.Join(out, " ")
	}
	var cands []string
	for i, w := range ws {
		if ix.has(w) {
			continue
		}
		for _, n := range ix.near(w.fold, alternativeSimilarity) {
			cands = append(cands, text(i, n))
		}
	}
	if len(ws) > 1 {
		for i := range ws {
			cands = append(cands, text(i, ""))
		}
	}
	var out []search.Alternative
	seen := map[string]bool{strings.ToLower(q.Text): true}
	for _, t := range cands {
		if seen[t] || len(out) >= 8 {
			continue
		}
		seen[t] = true
		cp := newPlan(t, syn, false)
		ix.lookupVocabulary(&cp)
		c := ix.compile(cp)
		cq := q
		cq.Text, cq.Sort, cq.Page, cq.PerPage = t, search.SortNewest, 1, 0
		if ev := ix.evaluate(cq, &c, true, 0); ev.total > 0 && len(ev.dropped) == 0 {
			out = append(out, search.Alternative{Text: t, Total: ev.total})
		}
	}
	slices.SortStableFunc(out, func(a, b search.Alternative) int { return cmp.Compare(b.Total, a.Total) })
	return out[:min(len(out), 3)]
}
