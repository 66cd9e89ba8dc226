package meili

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"html"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/meilisearch/meilisearch-go"

	"htxmarket/internal/search"
)

// Filter is the Meilisearch filter expression of q's filters, "" when it
// has none. String values are quoted, with backslashes and double quotes
// escaped as Meilisearch (1.4 and later) unescapes them: values are
// validated before they get here, but a filter is a language and a value
// must never be able to change the expression.
func Filter(q search.Query) string {
	var parts []string
	if len(q.Provinces) > 0 {
		parts = append(parts, "province IN "+quoteList(q.Provinces))
	}
	if len(q.Groups) > 0 {
		parts = append(parts, "group IN "+quoteList(q.Groups))
	}
	if q.MinStars > 0 {
		parts = append(parts, "stars >= "+strconv.Itoa(q.MinStars))
	}
	if q.Certification != "" {
		parts = append(parts, "certifications = "+quote(q.Certification))
	}
	if q.Cooperative != "" {
		parts = append(parts, "cooperative_slug = "+quote(q.Cooperative))
	}
	if q.MinPrice > 0 {
		parts = append(parts, "price >= "+strconv.FormatInt(q.MinPrice, 10))
	}
	if q.MaxPrice > 0 {
		parts = append(parts, "price <= "+strconv.FormatInt(q.MaxPrice, 10))
	}
	if q.InSeason > 0 {
		// No months means all year.
		parts = append(parts, "(season_months IS EMPTY OR season_months = "+strconv.Itoa(q.InSeason)+")")
	}
	return strings.Join(parts, " AND ")
}

var filterEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func quote(s string) string { return `"` + filterEscaper.Replace(s) + `"` }

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// sortBy is Meilisearch's sort of a query's order; newest breaks ties so
// that pages are stable. Relevance is the ranking rules alone.
func sortBy(order string) []string {
	switch order {
	case search.SortPriceAsc:
		return []string{"price:asc", "created_at:desc"}
	case search.SortPriceDesc:
		return []string{"price:desc", "created_at:desc"}
	case search.SortNewest:
		return []string{"created_at:desc"}
	case search.SortStars:
		return []string{"stars:desc", "created_at:desc"}
	}
	return nil
}

// facets maps the index's facet attributes to the facet names of a Result.
var facets = []struct{ attr, name string }{
	{"province", "province"},
	{"group", "group"},
	{"stars", "stars"},
	{"certifications", "certification"},
	{"cooperative_slug", "cooperative"},
}

// Highlighted fields, and the marks Meilisearch puts around matches. The
// marks are private-use characters, replaced by <mark> after the text is
// HTML-escaped: Meilisearch does not escape, and a product name may hold
// "<".
var highlighted = []string{"name", "description", "cooperative_name"}

const (
	markOpen  = "\ue000"
	markClose = "\ue001"
	// descriptionWords is the length of the description excerpt around
	// its matches.
	descriptionWords = 24
)

// request is the search request of q.
func request(q search.Query) *meilisearch.SearchRequest {
	page, per := int64(max(q.Page, 1)), int64(max(q.PerPage, 1))
	attrs := make([]string, len(facets))
	for i, f := range facets {
		attrs[i] = f.attr
	}
	r := &meilisearch.SearchRequest{
		Query:                 q.Text,
		Sort:                  sortBy(q.Sort),
		Page:                  page,
		HitsPerPage:           &per,
		Facets:                attrs,
		AttributesToHighlight: highlighted,
		HighlightPreTag:       markOpen,
		HighlightPostTag:      markClose,
		AttributesToCrop:      []string{"description"},
		CropLength:            descriptionWords,
		CropMarker:            "…",
		// Every word must match, as with the postgres engine; typos and
		// synonyms still count as matches.
		MatchingStrategy: meilisearch.All,
	}
	if f := Filter(q); f != "" {
		r.Filter = f
	}
	return r
}

// hit is one hit of a search response.
type hit struct {
	document
	Formatted map[string]json.RawMessage `json:"_formatted"`
}

type response struct {
	Hits              []hit                     `json:"hits"`
	TotalHits         int                       `json:"totalHits"`
	FacetDistribution map[string]map[string]int `json:"facetDistribution"`
}

// Search answers q from the live index within the query timeout.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if q.Text != "" && !hasWord(q.Text) {
		// Meilisearch drops punctuation, and an empty query matches
		// everything: "%" must match nothing.
		return toResult(q, response{}), nil
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	raw, err := e.ms.Index(e.index).SearchRawWithContext(ctx, "", request(q))
	if err != nil {
		return search.Result{}, wrap("search", err)
	}
	var resp response
	if err := json.Unmarshal(*raw, &resp); err != nil {
		return search.Result{}, wrap("search: decode response", err)
	}
	return toResult(q, resp), nil
}

func toResult(q search.Query, resp response) search.Result {
	res := search.Result{
		Hits:  make([]search.Hit, len(resp.Hits)),
		Total: resp.TotalHits,
		// Meilisearch counts exactly up to maxTotalHits (settings.go).
		TotalExact: resp.TotalHits < maxTotalHits,
		Facets:     search.Facets{},
		Page:       max(q.Page, 1),
		PerPage:    max(q.PerPage, 1),
		Engine:     "meili",
	}
	for i, h := range resp.Hits {
		res.Hits[i] = search.Hit{Document: h.toSearch(), Highlights: highlights(h.Formatted)}
	}
	for _, f := range facets {
		values := []search.FacetValue{}
		for v, n := range resp.FacetDistribution[f.attr] {
			values = append(values, search.FacetValue{Value: v, Count: n})
		}
		slices.SortFunc(values, func(a, b search.FacetValue) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		res.Facets[f.name] = values
	}
	return res
}

// highlights turns Meilisearch's _formatted fields into HTML with <mark>
// around matches, keeping only fields that have a match.
func highlights(formatted map[string]json.RawMessage) map[string]string {
	var out map[string]string
	for _, field := range highlighted {
		var s string
		if json.Unmarshal(formatted[field], &s) != nil || !strings.Contains(s, markOpen) {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		s = html.EscapeString(s)
		out[field] = strings.NewReplacer(markOpen, "<mark>", markClose, "</mark>").Replace(s)
	}
	return out
}

// Suggest answers one multi-search request of three queries for the
// prefix (Meilisearch matches the last word as a prefix): products, by
// every searchable attribute, cooperatives by name (one per cooperative) and
// provinces by current or former name (one per province). Provinces and
// cooperatives come first, at most one province and two cooperatives, as
// they narrow a search the most; products fill the rest of limit, and
// places left over go back to the others.
func (e *Engine) Suggest(ctx context.Context, prefix string, limit int) ([]search.Suggestion, error) {
	prefix = strings.TrimSpace(prefix)
	if !hasWord(prefix) || limit <= 0 {
		return []search.Suggestion{}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	resp, err := e.ms.MultiSearchWithContext(ctx, suggestRequest(e.index, prefix, limit))
	if err != nil {
		return nil, wrap("suggest", err)
	}
	if len(resp.Results) != 3 {
		return nil, wrap("suggest", errUnexpected)
	}
	var kinds [3][]search.Suggestion
	for i, r := range resp.Results {
		for _, h := range r.Hits {
			var d document
			if err := h.DecodeInto(&d); err != nil {
				return nil, wrap("suggest: decode hit", err)
			}
			switch i {
			case 0:
				kinds[i] = append(kinds[i], search.Suggestion{Kind: "product", Text: d.Name, Slug: d.Slug, Extra: d.ProvinceName})
			case 1:
				kinds[i] = append(kinds[i], search.Suggestion{Kind: "cooperative", Text: d.CooperativeName, Slug: d.CooperativeSlug, Extra: d.ProvinceName})
			case 2:
				kinds[i] = append(kinds[i], search.Suggestion{Kind: "province", Text: d.ProvinceName, Slug: d.Province})
			}
		}
	}
	return mergeSuggestions(kinds[2], kinds[1], kinds[0], limit), nil
}

// hasWord reports whether s has a letter or a digit: the only characters
// that Meilisearch searches for.
func hasWord(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

var errUnexpected = errors.New("unexpected number of multi-search results")

func suggestRequest(index, prefix string, limit int) *meilisearch.MultiSearchRequest {
	n := int64(limit)
	q := func(on []string, distinct string, retrieve ...string) *meilisearch.SearchRequest {
		return &meilisearch.SearchRequest{
			IndexUID:             index,
			Query:                prefix,
			Limit:                n,
			AttributesToSearchOn: on,
			AttributesToRetrieve: retrieve,
			Distinct:             distinct,
			MatchingStrategy:     meilisearch.All,
		}
	}
	return &meilisearch.MultiSearchRequest{Queries: []*meilisearch.SearchRequest{
		// Products on every searchable attribute: "bac giang" suggests
		// the lychees of Bắc Ninh.
		q(nil, "", "name", "slug", "province_name"),
		q([]string{"cooperative_name"}, "cooperative_slug", "cooperative_name", "cooperative_slug", "province_name"),
		q([]string{"province_name", "former_names"}, "province", "province_name", "province"),
	}}
}

// mergeSuggestions takes up to one province and two cooperatives, fills
// up to limit with products, then with the remaining provinces and
// cooperatives.
func mergeSuggestions(provinces, coops, products []search.Suggestion, limit int) []search.Suggestion {
	p, c := min(len(provinces), 1), min(len(coops), 2)
	out := make([]search.Suggestion, 0, limit+p+c)
	for _, part := range [][]search.Suggestion{provinces[:p], coops[:c], products, coops[c:], provinces[p:]} {
		out = append(out, part...)
	}
	return out[:min(len(out), limit)]
}
