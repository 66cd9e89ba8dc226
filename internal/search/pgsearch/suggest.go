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
// province by its names. Each kind reads a bounded number of index
// entries, whatever the prefix (search_suggest_keys, migration 00031).
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
	// At most two statements per processor run at once, in arrival order:
	// more would only share the processors with the database's.
	select {
	case e.suggestSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("pgsearch: suggest: %w", ctx.Err())
	}
	var rows []search.Suggestion
	err := e.stmts.selectContext(ctx, e.db, &rows, suggestSQL, lo, hi, limit, 3)
	<-e.suggestSlots
	if err != nil {
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

// suggestSQL is the function of migration 00031: up to $3 products by
// name, $3 by the rest of their name, $3 of the best products of the
// matching provinces, then up to $4 provinces and $4 cooperatives, each
// with a key in [$1, $2). Products may repeat.
const suggestSQL = `SELECT kind, text, slug, extra FROM search_suggest($1, $2, $3, $4)`

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
