package pgsearch

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/search"
)

// Bounds of a query's work, whatever the service let through.
const (
	maxWords = 8
	// fuzzyMinLen is the shortest word that typo tolerance rewrites: a typo
	// in a shorter word is too often another word.
	fuzzyMinLen = 4
	// similarity is the threshold for a term near a misspelt word (above
	// pg_trgm's default 0.3 of the % operator, which finds them by index).
	similarity = 0.45
	nearTerms  = 3
)

// unit is one thing a document must match: a query word or a synonym
// term, through any of its alternatives.
type unit struct {
	alts   [][]string // phrases, each a list of folded words
	typed  []string   // the words as typed (folded)
	word   string     // the word when the unit is one word without synonyms
	prefix bool       // match the last typed word as a prefix too (still being typed)
	near   []string   // index terms near word, when word is not in the index
}

// plan is a query's text made ready for SQL.
type plan struct {
	units  []unit
	toned  []string // words typed with marks, lowercased
	folded string   // the whole query folded, words joined by spaces
}

func (p plan) empty() bool { return len(p.units) == 0 }

// newPlan splits text into units, expanding synonyms.
func newPlan(text string, syn *synonyms) plan {
	ws := words(text)
	if len(ws) > maxWords {
		ws = ws[:maxWords]
	}
	p := plan{toned: nonNil(tonedWords(text)), folded: strings.Join(ws, " ")}
	typing := text != "" && !endsWithSeparator(text)
	for i := 0; i < len(ws); {
		alts, n := syn.match(ws[i:])
		if n == 0 {
			alts, n = [][]string{{ws[i]}}, 1
		}
		u := unit{alts: alts, typed: ws[i : i+n]}
		if n == 1 && len(alts) == 1 {
			u.word = ws[i]
		}
		i += n
		u.prefix = i == len(ws) && typing
		p.units = append(p.units, u)
	}
	return p
}

func endsWithSeparator(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
}

// lookupVocabulary finds, for each plain word that the index does not
// know (neither as a word nor, for the last one, as a prefix), its nearest
// terms.
func lookupVocabulary(ctx context.Context, ext sqlx.ExtContext, p *plan) error {
	var ws, uppers []string
	var prefixes []bool
	var idx []int
	for i, u := range p.units {
		if u.word == "" {
			continue
		}
		ws = append(ws, u.word)
		prefixes = append(prefixes, u.prefix)
		uppers = append(uppers, prefixUpper(u.word))
		idx = append(idx, i)
	}
	if len(ws) == 0 {
		return nil
	}
	const q = `
SELECT w.i,
       CASE WHEN length(w.word) >= $4 AND NOT EXISTS (
                SELECT 1 FROM search_terms t
                WHERE t.term = w.word
                   OR (w.prefix AND t.term >= w.word AND t.term < w.upper))
            THEN ARRAY(
                SELECT t.term FROM search_terms t
                WHERE t.term % w.word AND similarity(t.term, w.word) >= $6
                ORDER BY similarity(t.term, w.word) DESC, t.term
                LIMIT $5)
            ELSE '{}'
       END AS near
FROM unnest($1::text[], $2::bool[], $3::text[]) WITH ORDINALITY AS w(word, prefix, upper, i)`
	var rows []struct {
		I    int            `db:"i"`
		Near pq.StringArray `db:"near"`
	}
	err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(ws), pq.Array(prefixes), pq.Array(uppers), fuzzyMinLen, nearTerms, similarity)
	if err != nil {
		return fmt.Errorf("pgsearch: vocabulary: %w", err)
	}
	for _, r := range rows {
		p.units[idx[r.I-1]].near = r.Near
	}
	return nil
}

// prefixUpper is the smallest string above every word starting with w, in
// byte order (w is [a-z0-9]+).
func prefixUpper(w string) string {
	b := []byte(w)
	b[len(b)-1]++
	return string(b)
}

// tsquery writes the plan as a tsquery: every unit must match, through any
// alternative. loose adds typo and prefix alternatives; weights restricts
// lexemes to some weights ("AC").
func (p plan) tsquery(loose bool, weights string) string {
	lex := func(w string, prefix bool) string {
		s := "'" + w + "'"
		if prefix || weights != "" {
			s += ":"
		}
		if prefix {
			s += "*"
		}
		return s + weights
	}
	var units []string
	for _, u := range p.units {
		var alts []string
		for _, a := range u.alts {
			ls := make([]string, len(a))
			for i, w := range a {
				ls[i] = lex(w, false)
			}
			alts = append(alts, strings.Join(ls, " <-> "))
		}
		if loose {
			for _, n := range u.near {
				alts = append(alts, lex(n, false))
			}
			if u.prefix {
				ls := make([]string, len(u.typed))
				for i, w := range u.typed {
					ls[i] = lex(w, i == len(u.typed)-1)
				}
				alts = append(alts, strings.Join(ls, " <-> "))
			}
		}
		units = append(units, "("+strings.Join(alts, " | ")+")")
	}
	return strings.Join(units, " & ")
}

// phrase is the typed words as one phrase, for the bonus of words found
// side by side.
func (p plan) phrase() string {
	var ls []string
	for _, u := range p.units {
		for _, w := range u.typed {
			ls = append(ls, "'"+w+"'")
		}
	}
	return strings.Join(ls, " <-> ")
}

// matcher reports whether a folded word matched the plan, for highlights.
func (p plan) matcher() func(string) bool {
	set := map[string]bool{}
	var prefixes []string
	for _, u := range p.units {
		for _, a := range u.alts {
			for _, w := range a {
				set[w] = true
			}
		}
		for _, n := range u.near {
			set[n] = true
		}
		if u.prefix {
			prefixes = append(prefixes, u.typed[len(u.typed)-1])
		}
	}
	return func(f string) bool {
		if set[f] {
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

// args collects bind parameters.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// where builds the conditions of q; text is the tsquery or "", matched
// against the tsvector column vec.
func where(q search.Query, text, vec string, a *args) string {
	conds := []string{"true"}
	if text != "" {
		conds = append(conds, "d."+vec+" @@ "+a.add(text)+"::tsquery")
	}
	if len(q.Provinces) > 0 {
		conds = append(conds, "d.province = ANY("+a.add(pq.Array(q.Provinces))+")")
	}
	if len(q.Groups) > 0 {
		conds = append(conds, "d.group_slug = ANY("+a.add(pq.Array(q.Groups))+")")
	}
	if q.MinStars > 0 {
		conds = append(conds, "d.stars >= "+a.add(q.MinStars))
	}
	if q.Certification != "" {
		conds = append(conds, "d.certifications @> ARRAY["+a.add(q.Certification)+"]::text[]")
	}
	if q.Cooperative != "" {
		conds = append(conds, "d.cooperative_slug = "+a.add(q.Cooperative))
	}
	if q.MinPrice > 0 {
		conds = append(conds, "d.price >= "+a.add(q.MinPrice))
	}
	if q.MaxPrice > 0 {
		conds = append(conds, "d.price <= "+a.add(q.MaxPrice))
	}
	if q.InSeason > 0 {
		conds = append(conds, "(d.season_months = '{}' OR d.season_months @> ARRAY["+a.add(q.InSeason)+"]::smallint[])")
	}
	return strings.Join(conds, "\n  AND ")
}

// score is the relevance of a document: field-weighted matches (weights
// D description, C cooperative and places, B keywords, A name), exact
// words above typo and prefix matches, a bonus per word typed with its
// tones and found so in the name, the closeness of the whole name to the
// query, a little for a matching cooperative (above a matching province),
// and OCOP stars to break ties.
const score = `(
    ts_rank('{0.05, 0.25, 0.5, 1.0}', d.tsv_full, %[1]s::tsquery)
  + 2 * ts_rank('{0.05, 0.25, 0.5, 1.0}', d.tsv_full, %[2]s::tsquery)
  + 1.0 * (SELECT count(*) FROM unnest(%[3]s::text[]) w WHERE w = ANY(d.name_words))
  + 0.5 * similarity(d.name_folded, %[4]s)
  + ts_rank('{0.05, 0.25, 0.5, 1.0}', d.tsv_full, %[5]s::tsquery)
  + 0.05 * (to_tsvector('simple', d.cooperative_folded) @@ %[1]s::tsquery)::int
  + 0.005 * d.stars
)`

var orders = map[string]string{
	search.SortRelevance: "score DESC, d.stars DESC, d.id",
	search.SortStars:     "d.stars DESC, score DESC, d.id",
}

// Bounds of the work of one search. A query first finds its candidates
// through the GIN index of the small tsvector (no description), ordered by
// a cheap rank, at most maxCandidates of them; only they are counted and
// faceted, and only the best scoreWindow of them (all of them for deeper
// pages) get the full score. When tsv finds fewer than maxCandidates, the
// description (tsv_full) is consulted too, so a small result is the same
// as an exhaustive search; a larger one reports Total = maxCandidates
// with TotalExact false.
const (
	maxCandidates = 1000
	scoreWindow   = 200
)

// candidateOrders order the candidates: by the cheap rank (field-weighted
// match normalised by length, then stars) for relevance, else by the sort.
var candidateOrders = map[string]string{
	search.SortRelevance: "rank DESC, d.id",
	search.SortPriceAsc:  "d.price, d.id",
	search.SortPriceDesc: "d.price DESC, d.id",
	search.SortNewest:    "d.product_created_at DESC, d.id DESC",
	search.SortStars:     "d.stars DESC, rank DESC, d.id",
}

const cheapRank = "ts_rank('{0.05, 0.25, 0.5, 1.0}', d.%s, %s::tsquery, 1) + 0.005 * d.stars"

// candidate is what a query counts and facets.
type candidate struct {
	ID             uuid.UUID      `db:"id"`
	Province       string         `db:"province"`
	Group          string         `db:"group_slug"`
	Stars          int            `db:"stars"`
	Certifications pq.StringArray `db:"certifications"`
	Cooperative    string         `db:"cooperative_slug"`
}

// Search answers a validated query.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = 20
	}
	if _, ok := candidateOrders[q.Sort]; !ok {
		q.Sort = search.SortRelevance
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	p := newPlan(q.Text, e.synonyms(ctx))
	res := search.Result{Hits: []search.Hit{}, Facets: search.Facets{}, Page: q.Page, PerPage: q.PerPage, Engine: e.Name()}
	if err := lookupVocabulary(ctx, e.db, &p); err != nil {
		return search.Result{}, err
	}
	loose := ""
	if !p.empty() {
		loose = p.tsquery(true, "")
	}
	cands, err := e.candidates(ctx, q, loose, "tsv")
	if err != nil {
		return search.Result{}, err
	}
	if loose != "" && len(cands) <= maxCandidates {
		if cands, err = e.candidates(ctx, q, loose, "tsv_full"); err != nil {
			return search.Result{}, err
		}
	}
	res.TotalExact = len(cands) <= maxCandidates
	cands = cands[:min(len(cands), maxCandidates)]
	res.Total = len(cands)
	facetsOf(cands, res.Facets)

	off := (q.Page - 1) * q.PerPage
	if off >= len(cands) {
		return res, nil
	}
	var docs [][]byte
	if order, scored := orders[q.Sort]; scored && !p.empty() {
		w := len(cands)
		if off+q.PerPage <= scoreWindow {
			w = min(w, scoreWindow)
		}
		var a args
		ids := a.add(pq.Array(idsOf(cands[:w])))
		sc := fmt.Sprintf(score, a.add(loose), a.add(p.tsquery(false, "")), a.add(pq.Array(p.toned)), a.add(p.folded), a.add(p.phrase()))
		hits := `
SELECT d.doc, ` + sc + ` AS score
FROM search_documents d
WHERE d.id = ANY(` + ids + `)
ORDER BY ` + order + `
LIMIT ` + a.add(q.PerPage) + ` OFFSET ` + a.add(off)
		var rows []struct {
			Doc   []byte  `db:"doc"`
			Score float64 `db:"score"`
		}
		if err := sqlx.SelectContext(ctx, e.db, &rows, hits, a...); err != nil {
			return search.Result{}, fmt.Errorf("pgsearch: search: %w", err)
		}
		for _, r := range rows {
			docs = append(docs, r.Doc)
		}
	} else {
		page := idsOf(cands[off:min(off+q.PerPage, len(cands))])
		const hits = `
SELECT d.id, d.doc
FROM search_documents d
WHERE d.id = ANY($1)`
		var rows []struct {
			ID  uuid.UUID `db:"id"`
			Doc []byte    `db:"doc"`
		}
		if err := sqlx.SelectContext(ctx, e.db, &rows, hits, pq.Array(page)); err != nil {
			return search.Result{}, fmt.Errorf("pgsearch: search: %w", err)
		}
		byID := make(map[uuid.UUID][]byte, len(rows))
		for _, r := range rows {
			byID[r.ID] = r.Doc
		}
		for _, id := range page {
			if d, ok := byID[id]; ok {
				docs = append(docs, d)
			}
		}
	}
	match := p.matcher()
	for _, doc := range docs {
		var h search.Hit
		if err := json.Unmarshal(doc, &h.Document); err != nil {
			return search.Result{}, fmt.Errorf("pgsearch: decode document: %w", err)
		}
		if !p.empty() {
			h.Highlights = highlights(h.Document, match)
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// candidates returns up to maxCandidates+1 documents matching q, the text
// (tsquery, or "") matched against the tsvector column vec, in the order
// of q's sort.
func (e *Engine) candidates(ctx context.Context, q search.Query, text, vec string) ([]candidate, error) {
	var a args
	cond := where(q, text, vec, &a)
	rank := "0"
	if text != "" {
		rank = fmt.Sprintf(cheapRank, vec, a.add(text))
	}
	sql := `
SELECT d.id, d.province, d.group_slug, d.stars, d.certifications, d.cooperative_slug, ` + rank + ` AS rank
FROM search_documents d
WHERE ` + cond + `
ORDER BY ` + candidateOrders[q.Sort] + `
LIMIT ` + strconv.Itoa(maxCandidates+1)
	var rows []struct {
		candidate
		Rank float64 `db:"rank"`
	}
	if err := sqlx.SelectContext(ctx, e.db, &rows, sql, a...); err != nil {
		return nil, fmt.Errorf("pgsearch: candidates: %w", err)
	}
	out := make([]candidate, len(rows))
	for i, r := range rows {
		out[i] = r.candidate
	}
	return out, nil
}

func idsOf(cs []candidate) []uuid.UUID {
	out := make([]uuid.UUID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func highlights(d search.Document, match func(string) bool) map[string]string {
	out := map[string]string{}
	for field, text := range map[string]string{"name": d.Name, "cooperative_name": d.CooperativeName} {
		if h, ok := highlight(text, match); ok {
			out[field] = h
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// facetsOf counts the candidates by province, group, stars (rated only),
// certification and cooperative, most frequent first.
func facetsOf(cs []candidate, f search.Facets) {
	counts := map[string]map[string]int{}
	inc := func(facet, v string) {
		if counts[facet] == nil {
			counts[facet] = map[string]int{}
		}
		counts[facet][v]++
	}
	for _, c := range cs {
		inc("province", c.Province)
		inc("group", c.Group)
		if c.Stars > 0 {
			inc("stars", strconv.Itoa(c.Stars))
		}
		for _, cert := range c.Certifications {
			inc("certification", cert)
		}
		inc("cooperative", c.Cooperative)
	}
	for facet, m := range counts {
		vs := make([]search.FacetValue, 0, len(m))
		for v, n := range m {
			vs = append(vs, search.FacetValue{Value: v, Count: n})
		}
		slices.SortFunc(vs, func(a, b search.FacetValue) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
		})
		f[facet] = vs
	}
}

// Suggest returns products whose name starts with prefix (through the
// btree on name_folded, in name order), then, when they are too few,
// products whose name or place matches prefix word by word, and
// cooperatives and provinces whose name (a province's former names too)
// match.
func (e *Engine) Suggest(ctx context.Context, prefix string, limit int) ([]search.Suggestion, error) {
	ws := words(prefix)
	if len(ws) == 0 || limit <= 0 {
		return []search.Suggestion{}, nil
	}
	if len(ws) > maxWords {
		ws = ws[:maxWords]
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	p := plan{}
	for i, w := range ws {
		p.units = append(p.units, unit{alts: [][]string{{w}}, typed: []string{w}, word: w, prefix: i == len(ws)-1})
	}
	// The last word matches as a prefix only: "nuoc m" is "nuoc" and m….
	last := &p.units[len(p.units)-1]
	last.alts = nil
	products, others := p.tsquery(true, "AC"), p.tsquery(true, "")
	lo := strings.Join(ws, " ")
	hi := prefixUpper(lo)
	var prods, rest []search.Suggestion
	const qp = `
SELECT kind, text, slug, extra
FROM (
    (SELECT 'product' AS kind, d.name AS text, d.doc->>'slug' AS slug, d.doc->>'province_name' AS extra
     FROM search_documents d
     WHERE d.name_folded ~>=~ $1 AND d.name_folded ~<~ $2
     ORDER BY d.name_folded, d.id
     LIMIT $4)
    UNION ALL
    (SELECT 'product', d.name, d.doc->>'slug', d.doc->>'province_name'
     FROM search_documents d
     WHERE d.tsv @@ $3::tsquery
       AND NOT (d.name_folded ~>=~ $1 AND d.name_folded ~<~ $2)
     LIMIT $4)
) s
LIMIT $4`
	if err := sqlx.SelectContext(ctx, e.db, &prods, qp, lo, hi, products, limit); err != nil {
		return nil, fmt.Errorf("pgsearch: suggest products: %w", err)
	}
	const qo = `
SELECT kind, text, slug, extra
FROM search_suggestions
WHERE tsv @@ $1::tsquery
ORDER BY kind = 'province' DESC, doc_count DESC, slug
LIMIT $2`
	if err := sqlx.SelectContext(ctx, e.db, &rest, qo, others, limit); err != nil {
		return nil, fmt.Errorf("pgsearch: suggest: %w", err)
	}
	return mix(prods, rest, limit), nil
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
