package pgsearch

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"htxmarket/internal/search"
)

// Suggest returns the products, then the cooperatives and provinces, with
// a key in search_suggestions that starts with the folded prefix, best
// rank first: a product by its name, the rest of its name or its
// province's names (current or former), a cooperative by its name, a
// province by its names. Each kind is one btree range scan with a LIMIT,
// in one prepared statement.
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
	// A product or province may come by several keys: fetch, then dedupe.
	var rows []search.Suggestion
	if err := e.stmts.selectContext(ctx, e.db, &rows, suggestSQL, lo, hi, limit, 3); err != nil {
		return nil, fmt.Errorf("pgsearch: suggest: %w", err)
	}
	var prods, rest []search.Suggestion
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.Kind+"/"+r.Slug] {
			continue
		}
		seen[r.Kind+"/"+r.Slug] = true
		if r.Kind == "product" {
			prods = append(prods, r)
		} else {
			rest = append(rest, r)
		}
	}
	out := mix(prods, rest, limit)
	put(e.cache, e.cache.suggestMap(), key, gen, slices.Clone(out))
	return out, nil
}

// suggestSQL finds, per kind, the best keys in the range [$1, $2) by an
// index-only scan, then reads them: up to $3 products by name, $3 by the
// rest of their name, $3 of the best products of the matching provinces,
// then up to $4 provinces and $4 cooperatives. Products may repeat.
const suggestSQL = `
WITH keys AS MATERIALIZED (
    (SELECT id, 1 AS part, rank FROM search_suggestions
     WHERE kind = 'product' AND key >= $1 AND key < $2 ORDER BY rank DESC LIMIT $3)
    UNION ALL
    (SELECT id, 2, rank FROM search_suggestions
     WHERE kind = 'product_rest' AND key >= $1 AND key < $2 ORDER BY rank DESC LIMIT $3)
    UNION ALL
    (SELECT id, 4, rank FROM search_suggestions
     WHERE kind = 'province' AND key >= $1 AND key < $2 ORDER BY rank DESC LIMIT 2 * $4)
    UNION ALL
    (SELECT id, 5, rank FROM search_suggestions
     WHERE kind = 'cooperative' AND key >= $1 AND key < $2 ORDER BY rank DESC LIMIT $4)
), s AS MATERIALIZED (
    SELECT k.part, k.rank, s.kind, s.text, s.slug, s.extra
    FROM keys k JOIN search_suggestions s ON s.id = k.id
)
SELECT CASE WHEN part < 4 THEN 'product' ELSE kind END AS kind, text, slug, extra
FROM (
    SELECT part, rank, kind, text, slug, extra FROM s
    UNION ALL
    (SELECT 3, r.static_rank, 'product', d.name, d.doc->>'slug', d.doc->>'province_name'
     FROM (SELECT DISTINCT slug FROM s WHERE part = 4) p
     CROSS JOIN LATERAL (SELECT r.id, r.static_rank FROM search_rank r WHERE r.province = p.slug
                         ORDER BY r.static_rank DESC LIMIT $3) r
     JOIN search_documents d ON d.id = r.id
     ORDER BY r.static_rank DESC
     LIMIT $3)
) x
ORDER BY part, rank DESC`

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
