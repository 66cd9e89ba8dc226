package pgsearch

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"htxmarket/internal/platform/db"
	"htxmarket/internal/search"
)

// Bounds of a query's work, whatever the service let through.
const (
	maxWords = 8
	// fuzzyMinLen is the shortest word that typo tolerance rewrites: a typo
	// in a shorter word is too often another word.
	fuzzyMinLen = 4
	// similarity is pg_trgm's threshold for a term near a misspelt word.
	similarity = "0.45"
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
                WHERE t.term % w.word
                ORDER BY similarity(t.term, w.word) DESC, t.term
                LIMIT $5)
            ELSE '{}'
       END AS near
FROM unnest($1::text[], $2::bool[], $3::text[]) WITH ORDINALITY AS w(word, prefix, upper, i)`
	var rows []struct {
		I    int            `db:"i"`
		Near pq.StringArray `db:"near"`
	}
	err := sqlx.SelectContext(ctx, ext, &rows, q, pq.Array(ws), pq.Array(prefixes), pq.Array(uppers), fuzzyMinLen, nearTerms)
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

// where builds the conditions of q; text is the tsquery or "".
func where(q search.Query, text string, a *args) string {
	conds := []string{"true"}
	if text != "" {
		conds = append(conds, "d.tsv @@ "+a.add(text)+"::tsquery")
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
    ts_rank('{0.05, 0.25, 0.5, 1.0}', d.tsv, %[1]s::tsquery)
  + 2 * ts_rank('{0.05, 0.25, 0.5, 1.0}', d.tsv, %[2]s::tsquery)
  + 1.0 * (SELECT count(*) FROM unnest(%[3]s::text[]) w WHERE w = ANY(d.name_words))
  + 0.5 * similarity(d.name_folded, %[4]s)
  + ts_rank('{0.05, 0.25, 0.5, 1.0}', d.tsv, %[5]s::tsquery)
  + 0.05 * (to_tsvector('simple', d.cooperative_folded) @@ %[1]s::tsquery)::int
  + 0.005 * d.stars
)`

var orders = map[string]string{
	search.SortRelevance: "score DESC, d.stars DESC, d.id",
	search.SortPriceAsc:  "d.price, d.id",
	search.SortPriceDesc: "d.price DESC, d.id",
	search.SortNewest:    "d.product_created_at DESC, d.id DESC",
	search.SortStars:     "d.stars DESC, score DESC, d.id",
}

// Search answers a validated query.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = 20
	}
	order, ok := orders[q.Sort]
	if !ok {
		order = orders[search.SortRelevance]
	}
	p := newPlan(q.Text, e.synonyms(ctx))
	res := search.Result{Hits: []search.Hit{}, Facets: search.Facets{}, Page: q.Page, PerPage: q.PerPage, Engine: e.Name()}
	err := db.InTx(ctx, e.db, func(tx *sqlx.Tx) error {
		if err := e.limits(ctx, tx); err != nil {
			return err
		}
		if err := lookupVocabulary(ctx, tx, &p); err != nil {
			return err
		}
		loose, exact := "", ""
		if !p.empty() {
			loose, exact = p.tsquery(true, ""), p.tsquery(false, "")
		}
		var a args
		cond := where(q, loose, &a)
		sc := "0"
		if !p.empty() {
			sc = fmt.Sprintf(score, a.add(loose), a.add(exact), a.add(pq.Array(p.toned)), a.add(p.folded), a.add(p.phrase()))
		}
		hits := `
SELECT d.doc, ` + sc + ` AS score
FROM search_documents d
WHERE ` + cond + `
ORDER BY ` + order + `
LIMIT ` + a.add(q.PerPage) + ` OFFSET ` + a.add((q.Page-1)*q.PerPage)
		var rows []struct {
			Doc   []byte  `db:"doc"`
			Score float64 `db:"score"`
		}
		if err := sqlx.SelectContext(ctx, tx, &rows, hits, a...); err != nil {
			return fmt.Errorf("pgsearch: search: %w", err)
		}
		match := p.matcher()
		for _, r := range rows {
			var h search.Hit
			if err := json.Unmarshal(r.Doc, &h.Document); err != nil {
				return fmt.Errorf("pgsearch: decode document: %w", err)
			}
			if !p.empty() {
				h.Highlights = highlights(h.Document, match)
			}
			res.Hits = append(res.Hits, h)
		}
		var fa args
		fcond := where(q, loose, &fa)
		return facets(ctx, tx, fcond, fa, &res)
	})
	if err != nil {
		return search.Result{}, err
	}
	return res, nil
}

// limits bounds the transaction's statements in time and sets the typo
// threshold.
func (e *Engine) limits(ctx context.Context, tx *sqlx.Tx) error {
	const q = `SELECT set_config('statement_timeout', $1, true), set_config('pg_trgm.similarity_threshold', $2, true)`
	if _, err := tx.ExecContext(ctx, q, strconv.FormatInt(e.timeout.Milliseconds(), 10), similarity); err != nil {
		return fmt.Errorf("pgsearch: set limits: %w", err)
	}
	return nil
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

// facets counts the hits by province, group, stars, certification and
// cooperative in one statement, and the total.
func facets(ctx context.Context, tx *sqlx.Tx, cond string, a args, res *search.Result) error {
	q := `
WITH m AS (
    SELECT d.province, d.group_slug, d.stars, d.certifications, d.cooperative_slug
    FROM search_documents d
    WHERE ` + cond + `
)
SELECT 'total' AS facet, '' AS value, count(*) AS n FROM m
UNION ALL
SELECT 'province', province, count(*) FROM m GROUP BY province
UNION ALL
SELECT 'group', group_slug, count(*) FROM m GROUP BY group_slug
UNION ALL
SELECT 'stars', stars::text, count(*) FROM m WHERE stars > 0 GROUP BY stars
UNION ALL
SELECT 'certification', c, count(*) FROM m, unnest(m.certifications) AS c GROUP BY c
UNION ALL
SELECT 'cooperative', cooperative_slug, count(*) FROM m GROUP BY cooperative_slug
ORDER BY 1, 3 DESC, 2`
	var rows []struct {
		Facet string `db:"facet"`
		Value string `db:"value"`
		N     int    `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, tx, &rows, q, a...); err != nil {
		return fmt.Errorf("pgsearch: facets: %w", err)
	}
	for _, r := range rows {
		if r.Facet == "total" {
			res.Total = r.N
			continue
		}
		res.Facets[r.Facet] = append(res.Facets[r.Facet], search.FacetValue{Value: r.Value, Count: r.N})
	}
	return nil
}

// Suggest returns products whose name or place, and cooperatives and
// provinces whose name (a province's former names too), match prefix as
// it is being typed.
func (e *Engine) Suggest(ctx context.Context, prefix string, limit int) ([]search.Suggestion, error) {
	ws := words(prefix)
	if len(ws) == 0 || limit <= 0 {
		return []search.Suggestion{}, nil
	}
	if len(ws) > maxWords {
		ws = ws[:maxWords]
	}
	p := plan{}
	for i, w := range ws {
		p.units = append(p.units, unit{alts: [][]string{{w}}, typed: []string{w}, word: w, prefix: i == len(ws)-1})
	}
	// The last word matches as a prefix only: "nuoc m" is "nuoc" and m….
	last := &p.units[len(p.units)-1]
	last.alts = nil
	products, others := p.tsquery(true, "AC"), p.tsquery(true, "")
	var prods, rest []search.Suggestion
	err := db.InTx(ctx, e.db, func(tx *sqlx.Tx) error {
		if err := e.limits(ctx, tx); err != nil {
			return err
		}
		const qp = `
SELECT 'product' AS kind, d.name AS text, d.doc->>'slug' AS slug, d.doc->>'province_name' AS extra
FROM search_documents d
WHERE d.tsv @@ $1::tsquery
ORDER BY ts_rank('{0, 0.2, 0, 1.0}', d.tsv, $1::tsquery) DESC, d.stars DESC, d.id
LIMIT $2`
		if err := sqlx.SelectContext(ctx, tx, &prods, qp, products, limit); err != nil {
			return fmt.Errorf("pgsearch: suggest products: %w", err)
		}
		const qo = `
SELECT kind, text, slug, extra
FROM search_suggestions
WHERE tsv @@ $1::tsquery
ORDER BY kind = 'province' DESC, doc_count DESC, slug
LIMIT $2`
		if err := sqlx.SelectContext(ctx, tx, &rest, qo, others, limit); err != nil {
			return fmt.Errorf("pgsearch: suggest: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
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
