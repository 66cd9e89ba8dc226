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
		parts = append(parts, "price_vnd >= "+strconv.FormatInt(q.MinPrice, 10))
	}
	if q.MaxPrice > 0 {
		parts = append(parts, "price_vnd <= "+strconv.FormatInt(q.MaxPrice, 10))
	}
	if q.InSeason > 0 {
		// No months means all year.
		parts = append(parts, "(season_months IS EMPTY OR season_months = "+strconv.Itoa(q.InSeason)+")")
	}
	if q.InStock {
		parts = append(parts, "in_stock = true")
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
		return []string{"price_vnd:asc", "created_at:desc"}
	case search.SortPriceDesc:
		return []string{"price_vnd:desc", "created_at:desc"}
	case search.SortNewest:
		return []string{"created_at:desc"}
	case search.SortStars:
		return []string{"stars:desc", "created_at:desc"}
	}
	return nil
}

// facets maps the index's facet attributes to the facet names of a Result.
var facets = []struct{ attr, name string }{
	{"province", search.FacetProvince},
	{"group", search.FacetGroup},
	{"stars", search.FacetStars},
	{"certifications", search.FacetCertification},
	{"cooperative_slug", search.FacetCooperative},
}

// facetAttr is the attribute of the facet name.
func facetAttr(name string) string {
	for _, f := range facets {
		if f.name == name {
			return f.attr
		}
	}
	return ""
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

// request is the search request of q's hits, with the facets of the
// filters that q does not set.
func request(index string, q search.Query, toned string) *meilisearch.SearchRequest {
	page, per := int64(max(q.Page, 1)), int64(max(q.PerPage, 1))
	filtered := q.FilteredFacets()
	var attrs []string
	for _, f := range facets {
		if !slices.Contains(filtered, f.name) {
			attrs = append(attrs, f.attr)
		}
	}
	r := &meilisearch.SearchRequest{
		IndexUID:              index,
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
	if f := and(Filter(q), toned); f != "" {
		r.Filter = f
	}
	return r
}

// and joins two filters.
func and(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " AND " + b
}

// facetRequest asks for the distribution of one facet of q, without hits,
// over q without the facet's own filter: the disjunctive count that lets a
// shopper add a second province to the first.
func facetRequest(index string, q search.Query, facet, toned string) *meilisearch.SearchRequest {
	none := int64(0)
	r := &meilisearch.SearchRequest{
		IndexUID:         index,
		Query:            q.Text,
		HitsPerPage:      &none,
		Facets:           []string{facetAttr(facet)},
		MatchingStrategy: meilisearch.All,
	}
	if f := and(Filter(q.Without(facet)), toned); f != "" {
		r.Filter = f
	}
	return r
}

// labelRequest finds the names of the cooperative facet's values: one hit
// per cooperative (distinct) among those the facet counts, q without its
// cooperative filter, two short attributes each, at most maxFacetValues,
// as many as the facet lists. It goes in the same multi-search, so costs
// no round trip. The facet lists the most frequent cooperatives and this
// query the best ranked: when more than maxFacetValues cooperatives match,
// a rare one may go without a name from here (Search adds those of the
// page's hits), and the client shows its slug.
func labelRequest(index string, q search.Query, toned string) *meilisearch.SearchRequest {
	r := &meilisearch.SearchRequest{
		IndexUID:             index,
		Query:                q.Text,
		Limit:                maxFacetValues,
		Distinct:             "cooperative_slug",
		AttributesToRetrieve: []string{"cooperative_slug", "cooperative_name"},
		MatchingStrategy:     meilisearch.All,
	}
	if f := and(Filter(q.Without(search.FacetCooperative)), toned); f != "" {
		r.Filter = f
	}
	return r
}

// searchRequest is the multi-search of q: its hits and the facets of the
// filters it does not set, one facet request per filter it sets
// (search.Query.FilteredFacets, in that order), then the label request.
func searchRequest(index string, q search.Query, toned string) *meilisearch.MultiSearchRequest {
	queries := []*meilisearch.SearchRequest{request(index, q, toned)}
	for _, facet := range q.FilteredFacets() {
		queries = append(queries, facetRequest(index, q, facet, toned))
	}
	queries = append(queries, labelRequest(index, q, toned))
	return &meilisearch.MultiSearchRequest{Queries: queries}
}

// hit is one hit of a search response.
type hit struct {
	document
	Formatted map[string]json.RawMessage `json:"_formatted"`
}

type response struct {
	Hits              []hit
	TotalHits         int
	FacetDistribution map[string]map[string]int
	// Labels are the names of cooperatives by slug.
	Labels map[string]string
}

// Search answers q from the live index within the query timeout, in one
// multi-search request (searchRequest).
//
// Meilisearch folds tones away: "dừa" finds dứa and dưa too. The engine
// compensates with a filter on the exact forms (tonedFilter): each word
// typed with tones must be in a hit as typed, or as one of its synonyms.
// When that finds nothing, the wrong tones are typos: the query runs
// without the filter, and its hits are loose (search.MatchTypo).
// Meilisearch's own loose matches (typos, the last word as a prefix, a
// word only in the description) cannot be told apart from the exact ones:
// they count in the total.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	if q.Text != "" && !hasWord(q.Text) {
		// Meilisearch drops punctuation, and an empty query matches
		// everything: "%" must match nothing.
		return toResult(q, response{}), nil
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	toned := e.tonedFilter(ctx, q.Text)
	res, err := e.search(ctx, q, toned)
	if err != nil || q.Text == "" {
		return res, err
	}
	match := search.MatchExact
	if toned != "" && res.Total == 0 {
		if res, err = e.search(ctx, q, ""); err != nil {
			return res, err
		}
		res.Loose, res.Total, match = res.Total, 0, search.MatchTypo
	}
	for i := range res.Hits {
		res.Hits[i].Match = match
	}
	return res, nil
}

// tonedFilter is the filter that keeps each word of text typed with
// tones to its exact form or one of its synonyms' (the synonyms held in
// the index, read once), "" when no word has tones. A word whose synonyms
// have a form the filter cannot express (a phrase, a word without tones,
// which matches every form) adds nothing.
func (e *Engine) tonedFilter(ctx context.Context, text string) string {
	var parts []string
	for _, w := range search.Words(text) {
		if !search.Toned(w) {
			continue
		}
		keys := []string{search.ToneKey(w)}
		ok := true
		for _, s := range e.synonymsOf(ctx, w) {
			if strings.Contains(s, " ") || !search.Toned(s) {
				ok = false
				break
			}
			keys = append(keys, search.ToneKey(s))
		}
		if ok {
			parts = append(parts, "toned_keys IN "+quoteList(keys))
		}
	}
	return strings.Join(parts, " AND ")
}

// synonymsOf returns the synonyms of w in the index, loaded on first use.
func (e *Engine) synonymsOf(ctx context.Context, w string) []string {
	e.synMu.Lock()
	defer e.synMu.Unlock()
	if e.syn == nil {
		m, err := e.ms.Index(e.index).GetSynonymsWithContext(ctx)
		if err != nil || m == nil {
			return nil
		}
		e.syn = *m
	}
	return e.syn[w]
}

// search runs q's multi-search with the extra filter toned.
func (e *Engine) search(ctx context.Context, q search.Query, toned string) (search.Result, error) {
	filtered := q.FilteredFacets()
	multi, err := e.ms.MultiSearchWithContext(ctx, searchRequest(e.index, q, toned))
	if err != nil {
		return search.Result{}, wrap("search", err)
	}
	if len(multi.Results) != 2+len(filtered) {
		return search.Result{}, wrap("search", errUnexpected)
	}
	main := multi.Results[0]
	resp := response{TotalHits: int(main.TotalHits), Hits: make([]hit, len(main.Hits)), Labels: map[string]string{}}
	for i, h := range main.Hits {
		if err := decode(h, &resp.Hits[i]); err != nil {
			return search.Result{}, wrap("search: decode hit", err)
		}
		resp.Labels[resp.Hits[i].CooperativeSlug] = resp.Hits[i].CooperativeName
	}
	for _, h := range multi.Results[len(multi.Results)-1].Hits {
		var c struct {
			Slug string `json:"cooperative_slug"`
			Name string `json:"cooperative_name"`
		}
		if err := decode(h, &c); err != nil {
			return search.Result{}, wrap("search: decode cooperative", err)
		}
		resp.Labels[c.Slug] = c.Name
	}
	if resp.FacetDistribution, err = distribution(main.FacetDistribution); err != nil {
		return search.Result{}, wrap("search: decode facets", err)
	}
	for i, facet := range filtered {
		d, err := distribution(multi.Results[1+i].FacetDistribution)
		if err != nil {
			return search.Result{}, wrap("search: decode facets", err)
		}
		attr := facetAttr(facet)
		resp.FacetDistribution[attr] = d[attr]
	}
	return toResult(q, resp), nil
}

// decode decodes a hit the way encoding/json does (document's created_at
// shadows the one of search.Document).
func decode(h meilisearch.Hit, v any) error {
	raw, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// distribution decodes a facet distribution, never nil.
func distribution(raw json.RawMessage) (map[string]map[string]int, error) {
	d := map[string]map[string]int{}
	if len(raw) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	if d == nil {
		d = map[string]map[string]int{}
	}
	return d, nil
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
			fv := search.FacetValue{Value: v, Count: n}
			if f.name == search.FacetCooperative {
				fv.Label = resp.Labels[v]
			}
			values = append(values, fv)
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
