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
func (e *Engine) lookupVocabulary(ctx context.Context, p *plan) error {
	var ws, uppers []string
	var prefixes []bool
	var idx []int
	gen := e.cache.generation()
	for i, u := range p.units {
		if u.word == "" {
			continue
		}
		if near, ok := get(e.cache, e.cache.vocabMap(), vocabKey(u)); ok {
			p.units[i].near = near
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
	err := e.stmts.selectContext(ctx, e.db, &rows, q, pq.Array(ws), pq.Array(prefixes), pq.Array(uppers), fuzzyMinLen, nearTerms, similarity)
	if err != nil {
		return fmt.Errorf("pgsearch: vocabulary: %w", err)
	}
	for _, r := range rows {
		u := &p.units[idx[r.I-1]]
		u.near = r.Near
		put(e.cache, e.cache.vocabMap(), vocabKey(*u), gen, slices.Clone(u.near))
	}
	return nil
}

func vocabKey(u unit) string {
	if u.prefix {
		return u.word + "*"
	}
	return u.word
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

// where builds the conditions of q's filters on a row d of search_rank or
// search_documents, after match (a text condition, or "").
func where(q search.Query, match string, a *args) string {
	conds := []string{"true"}
	if match != "" {
		conds = append(conds, match)
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
	if q.InStock {
		conds = append(conds, "d.in_stock")
	}
	return strings.Join(conds, "\n      AND ")
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

// Bounds of the work of one search. A query finds its candidates in the
// narrow table search_rank (small tsvector, no description) through its
// GIN index, the tsquery as a filter, ordered without ranking every match:
// first the documents whose name has every word (exactly), then the
// static rank; at most maxCandidates of them. Only they are counted and
// faceted, and only the best scoreWindow of them (all of them for deeper
// pages) get the full score. When search_rank finds no more than
// maxCandidates, the same statement finds them in the description vector
// (tsv_full) instead, so a small result is the same as an exhaustive
// search; a larger one reports Total = maxCandidates with TotalExact false.
const (
	maxCandidates = 1000
	scoreWindow   = 200
)

// candidateOrders order the candidates in search_rank (name: the document's
// name has every word) for each sort; fullOrders in search_documents when
// the description is consulted (matched: the document matches in fields
// other than the description).
var candidateOrders = map[string]string{
	search.SortRelevance: "name DESC, d.static_rank DESC, d.id",
	search.SortPriceAsc:  "d.price, d.id",
	search.SortPriceDesc: "d.price DESC, d.id",
	search.SortNewest:    "d.product_created_at DESC, d.id DESC",
	search.SortStars:     "d.stars DESC, name DESC, d.static_rank DESC, d.id",
}

var fullOrders = map[string]string{
	search.SortRelevance: "matched DESC, name DESC, d.static_rank DESC, d.id",
	search.SortPriceAsc:  "d.price, d.id",
	search.SortPriceDesc: "d.price DESC, d.id",
	search.SortNewest:    "d.product_created_at DESC, d.id DESC",
	search.SortStars:     "d.stars DESC, matched DESC, name DESC, d.static_rank DESC, d.id",
}

// candidate is what a query counts and facets.
type candidate struct {
	ID             uuid.UUID      `db:"id"`
	Province       string         `db:"province"`
	Group          string         `db:"group_slug"`
	Stars          int            `db:"stars"`
	Certifications pq.StringArray `db:"certifications"`
	Cooperative    string         `db:"cooperative_slug"`
}

// candidateCols are the columns of a candidate in a row d; candidateNames
// the same in a CTE of candidates.
const (
	candidateCols  = "d.id, d.province, d.group_slug, d.stars, d.certifications, d.cooperative_slug"
	candidateNames = "id, province, group_slug, stars, certifications, cooperative_slug"
	// The CTEs of candidates also hold the cooperative's name, for the
	// labels of the cooperative facet.
	cteCols  = candidateCols + ", d.cooperative_name"
	cteNames = candidateNames + ", cooperative_name"
)

// Parts of a search statement's rows.
const (
	partCandidate = "candidate"
	partHit       = "hit"
	partFacets    = "facets"
)

// facetCount is one value of a disjunctive facet as the statement counts it.
type facetCount struct {
	Facet string `json:"facet"`
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Search answers a validated query in two statements: the vocabulary
// lookup (typo tolerance), then one that finds the candidates (falling
// through to the description when the narrow vector finds too few),
// returns them for the count and facets, scores and returns the page, and
// counts the facets of the query's filters over their own candidates.
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
	key := queryKey(q)
	if r, ok := get(e.cache, e.cache.resultsMap(), key); ok {
		return copyResult(r), nil
	}
	gen := e.cache.generation()
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	p := newPlan(q.Text, e.synonyms(ctx))
	res := search.Result{Hits: []search.Hit{}, Facets: search.Facets{}, Page: q.Page, PerPage: q.PerPage, Engine: e.Name()}
	if err := e.lookupVocabulary(ctx, &p); err != nil {
		return search.Result{}, err
	}
	off := (q.Page - 1) * q.PerPage
	sql, a := searchSQL(q, p, off)
	var rows []struct {
		Part string `db:"part"`
		candidate
		Doc    []byte `db:"doc"`
		Facets []byte `db:"facets"`
		Labels []byte `db:"labels"`
	}
	if err := sqlx.SelectContext(ctx, e.db, &rows, sql, a...); err != nil {
		return search.Result{}, fmt.Errorf("pgsearch: search: %w", err)
	}
	var cands []candidate
	var docs [][]byte
	var counts []facetCount
	var labels map[string]string
	for _, r := range rows {
		switch r.Part {
		case partCandidate:
			cands = append(cands, r.candidate)
		case partHit:
			docs = append(docs, r.Doc)
		case partFacets:
			if r.Facets != nil {
				if err := json.Unmarshal(r.Facets, &counts); err != nil {
					return search.Result{}, fmt.Errorf("pgsearch: decode facets: %w", err)
				}
			}
			if r.Labels != nil {
				if err := json.Unmarshal(r.Labels, &labels); err != nil {
					return search.Result{}, fmt.Errorf("pgsearch: decode facet labels: %w", err)
				}
			}
		}
	}
	res.TotalExact = len(cands) <= maxCandidates
	cands = cands[:min(len(cands), maxCandidates)]
	res.Total = len(cands)
	facetsOf(cands, res.Facets)
	setFilteredFacets(q, counts, res.Facets)
	for i, v := range res.Facets[search.FacetCooperative] {
		res.Facets[search.FacetCooperative][i].Label = labels[v.Value]
	}
	if off >= len(cands) {
		put(e.cache, e.cache.resultsMap(), key, gen, copyResult(res))
		return res, nil
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
	put(e.cache, e.cache.resultsMap(), key, gen, copyResult(res))
	return res, nil
}

// textParams are the bind parameters of a plan's tsqueries, added once per
// statement and shared by all its passes: loose (what a document must
// match, typos and prefix included), name (every word in the name,
// exactly) and matched (in the fields other than the description). All ""
// when the plan is empty.
type textParams struct{ loose, name, matched string }

func newTextParams(p plan, a *args) textParams {
	if p.empty() {
		return textParams{}
	}
	return textParams{a.add(p.tsquery(true, "")), a.add(p.tsquery(false, "A")), a.add(p.tsquery(true, "ABC"))}
}

// candidates writes the CTEs that find the candidates of q, the last one
// named name: columns candidateNames and ord, the rank in q's order; at
// most maxCandidates+1 rows, one more than are counted, to tell a capped
// set.
func candidates(name string, q search.Query, t textParams, a *args) string {
	lim := strconv.Itoa(maxCandidates + 1)
	if t.loose == "" {
		return `
` + name + ` AS MATERIALIZED (
    SELECT s.*, row_number() OVER () AS ord
    FROM (
        SELECT ` + cteCols + `
        FROM search_rank d
        WHERE ` + where(q, "", a) + `
        ORDER BY ` + strings.ReplaceAll(candidateOrders[q.Sort], "name DESC, ", "") + `
        LIMIT ` + lim + `
    ) s
)`
	}
	cond := where(q, "d.tsv @@ "+t.loose+"::tsquery", a)
	condFull := strings.Replace(cond, "d.tsv @@", "d.tsv_full @@", 1)
	n, f, capped := name+"_n", name+"_f", strconv.Itoa(maxCandidates)
	return `
` + n + ` AS MATERIALIZED (
    SELECT ` + cteCols + `, d.tsv @@ ` + t.name + `::tsquery AS name
    FROM search_rank d
    WHERE ` + cond + `
    ORDER BY ` + candidateOrders[q.Sort] + `
    LIMIT ` + lim + `
), ` + f + ` AS MATERIALIZED (
    SELECT ` + cteCols + `, d.tsv_full @@ ` + t.name + `::tsquery AS name, d.tsv_full @@ ` + t.matched + `::tsquery AS matched
    FROM search_documents d
    WHERE (SELECT count(*) FROM ` + n + `) <= ` + capped + `
      AND ` + condFull + `
    ORDER BY ` + fullOrders[q.Sort] + `
    LIMIT ` + lim + `
), ` + name + ` AS MATERIALIZED (
    SELECT s.*, row_number() OVER () AS ord
    FROM (
        SELECT ` + cteNames + ` FROM ` + n + `
        WHERE (SELECT count(*) FROM ` + n + `) > ` + capped + `
        UNION ALL
        SELECT ` + cteNames + ` FROM ` + f + `
    ) s
)`
}

// facetCounts count one facet's values among the first %[2]d rows of the
// candidates %[1]s, as facetsOf counts them (stars of rated products
// only).
var facetCounts = map[string]string{
	search.FacetProvince: `
    SELECT 'province' AS facet, c.province AS value, count(*) AS n
    FROM %[1]s c WHERE c.ord <= %[2]d GROUP BY c.province`,
	search.FacetGroup: `
    SELECT 'group' AS facet, c.group_slug AS value, count(*) AS n
    FROM %[1]s c WHERE c.ord <= %[2]d GROUP BY c.group_slug`,
	search.FacetStars: `
    SELECT 'stars' AS facet, c.stars::text AS value, count(*) AS n
    FROM %[1]s c WHERE c.ord <= %[2]d AND c.stars > 0 GROUP BY c.stars`,
	search.FacetCertification: `
    SELECT 'certification' AS facet, v.cert AS value, count(*) AS n
    FROM %[1]s c CROSS JOIN LATERAL unnest(c.certifications) AS v(cert) WHERE c.ord <= %[2]d GROUP BY v.cert`,
	search.FacetCooperative: `
    SELECT 'cooperative' AS facet, c.cooperative_slug AS value, count(*) AS n
    FROM %[1]s c WHERE c.ord <= %[2]d GROUP BY c.cooperative_slug`,
}

// searchSQL is the one statement of a search. Its rows, told apart by
// part: the candidates, up to maxCandidates+1 in order; the page's hits;
// and one row with the facets column (when q sets a filter that has a
// facet), the counts of those facets (facetCount as JSON), and the labels
// column, the names of the cooperative facet's values by slug. Each
// facet of a filter set counts its own candidates, those of q without its
// filter, found as the main ones are and capped as they are: a pass per
// filter set, none for the others. The names are those of the
// candidates (search_rank holds them) of the cooperatives the facet keeps.
func searchSQL(q search.Query, p plan, off int) (string, args) {
	var a args
	t := newTextParams(p, &a)
	ctes := []string{candidates("c", q, t, &a)}
	var counts []string
	coops := "c"
	for _, facet := range q.FilteredFacets() {
		name := facet + "_c"
		ctes = append(ctes, candidates(name, q.Without(facet), t, &a))
		counts = append(counts, fmt.Sprintf(facetCounts[facet], name, maxCandidates))
		if facet == search.FacetCooperative {
			coops = name
		}
	}
	var b strings.Builder
	b.WriteString(`
WITH` + strings.Join(ctes, ",") + `
SELECT '` + partCandidate + `' AS part, ` + candidateNames + `, NULL::jsonb AS doc, NULL::jsonb AS facets, NULL::jsonb AS labels
FROM c
UNION ALL
(`)
	if order, scored := orders[q.Sort]; scored && !p.empty() {
		window := maxCandidates + 1
		if off+q.PerPage <= scoreWindow {
			window = scoreWindow
		}
		sc := fmt.Sprintf(score, t.loose, a.add(p.tsquery(false, "")), a.add(pq.Array(p.toned)), a.add(p.folded), a.add(p.phrase()))
		b.WriteString(`
    SELECT '` + partHit + `', ` + candidateCols + `, d.doc, NULL, NULL
    FROM (
        SELECT d.id, d.stars, ` + sc + ` AS score
        FROM c JOIN search_documents d ON d.id = c.id
        WHERE c.ord <= ` + a.add(window) + `
        ORDER BY ` + order + `
        LIMIT ` + a.add(q.PerPage) + ` OFFSET ` + a.add(off) + `
    ) h JOIN search_documents d ON d.id = h.id
    ORDER BY ` + strings.ReplaceAll(order, "d.id", "h.id") + `
)`)
	} else {
		b.WriteString(`
    SELECT '` + partHit + `', ` + candidateCols + `, d.doc, NULL, NULL
    FROM c JOIN search_documents d ON d.id = c.id
    WHERE c.ord > ` + a.add(off) + ` AND c.ord <= ` + a.add(off+q.PerPage) + `
    ORDER BY c.ord
)`)
	}
	facetsCol := "NULL"
	if len(counts) > 0 {
		facetsCol = `(
    SELECT jsonb_agg(jsonb_build_object('facet', v.facet, 'value', v.value, 'count', v.n))
    FROM (` + strings.Join(counts, "\n        UNION ALL") + `
    ) v
)`
	}
	b.WriteString(`
UNION ALL
SELECT '` + partFacets + `', NULL, '', '', 0, '{}', '', NULL, ` + facetsCol + `, (
    SELECT jsonb_object_agg(k.cooperative_slug, k.name)
    FROM (
        SELECT cooperative_slug, min(cooperative_name) AS name
        FROM ` + coops + `
        WHERE ord <= ` + strconv.Itoa(maxCandidates) + `
        GROUP BY cooperative_slug
        ORDER BY count(*) DESC, cooperative_slug COLLATE "C"
        LIMIT ` + strconv.Itoa(maxFacetValues) + `
    ) k
)`)
	return b.String(), a
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
		f[facet] = sortValues(vs)
	}
}

// setFilteredFacets replaces the facets of q's filters, counted by facetsOf
// over q's candidates, with their counts over their own (searchSQL).
func setFilteredFacets(q search.Query, counts []facetCount, f search.Facets) {
	filtered := q.FilteredFacets()
	for _, facet := range filtered {
		delete(f, facet)
	}
	for _, c := range counts {
		f[c.Facet] = append(f[c.Facet], search.FacetValue{Value: c.Value, Count: c.Count})
	}
	for _, facet := range filtered {
		if vs, ok := f[facet]; ok {
			f[facet] = sortValues(vs)
		}
	}
}

// sortValues orders a facet's values most frequent first, then by value.
func sortValues(vs []search.FacetValue) []search.FacetValue {
	slices.SortFunc(vs, func(a, b search.FacetValue) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
	})
	return vs[:min(len(vs), maxFacetValues)]
}

// maxFacetValues is how many values of a facet a result carries, the most
// frequent (Meilisearch's maxValuesPerFacet is the same): a common word's
// candidates come from hundreds of cooperatives, more than a shopper reads
// and more than a phone should download.
const maxFacetValues = 200
