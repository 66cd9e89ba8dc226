package search

import (
	"time"

	"github.com/google/uuid"
)

// Document is what an engine indexes for one product: the public projection
// of an active product of a verified cooperative, with everything a query
// matches on, filters by, sorts by or shows. Both engines index the same
// documents, built in one place (the indexer's Source). PriceMax is the
// highest variant price: above Price when the packagings differ in price.
type Document struct {
	ID          uuid.UUID `json:"id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Keywords    []string  `json:"keywords"`
	Description string    `json:"description"` // plain text, no Markdown

	CooperativeID   uuid.UUID `json:"cooperative_id"`
	CooperativeSlug string    `json:"cooperative_slug"`
	CooperativeName string    `json:"cooperative_name"`

	Province     string   `json:"province"`      // slug of one of the 34
	ProvinceName string   `json:"province_name"` // current name
	FormerNames  []string `json:"former_names"`  // old provinces merged into it, so "bac giang" finds Bắc Ninh

	Group          string   `json:"group"` // OCOP group slug
	Stars          int      `json:"stars"` // current OCOP rating, 0 when none or expired
	Certifications []string `json:"certifications"`
	SeasonMonths   []int    `json:"season_months"` // 1–12; empty = all year

	Price     int64     `json:"price_vnd"` // lowest variant price, VND (the product API's name)
	Unit      string    `json:"unit"`      // of the lowest-priced variant
	InStock   bool      `json:"in_stock"`
	PriceMax  int64     `json:"price_max_vnd,omitempty"`
	ThumbURL  string    `json:"thumb_url,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is the product's last change, for the catalog's lists.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Field limits of an indexed document: the catalog's own, so that a
// product saved before a limit existed (30 keywords of 1 MB each) cannot
// make its every delivery fail ("string is too long for tsvector") while
// the changes after it wait.
const (
	maxNameRunes        = 200
	maxShortRunes       = 200 // slugs, cooperative and province names, unit
	maxKeywords         = 30
	maxKeywordRunes     = 50
	maxDescriptionRunes = 20_000
	maxListItems        = 20 // certifications, former names
	maxURLBytes         = 2000
)

// Bounded returns d with every text cut to the limits above (whole
// characters) and every list to its first items, leaving d's own slices
// as they were.
func (d Document) Bounded() Document {
	d.Slug, d.CooperativeSlug = cutRunes(d.Slug, maxShortRunes), cutRunes(d.CooperativeSlug, maxShortRunes)
	d.Name = cutRunes(d.Name, maxNameRunes)
	d.Description = cutRunes(d.Description, maxDescriptionRunes)
	d.CooperativeName, d.ProvinceName = cutRunes(d.CooperativeName, maxShortRunes), cutRunes(d.ProvinceName, maxShortRunes)
	d.Province, d.Group, d.Unit = cutRunes(d.Province, maxShortRunes), cutRunes(d.Group, maxShortRunes), cutRunes(d.Unit, maxShortRunes)
	d.Keywords = cutList(d.Keywords, maxKeywords, maxKeywordRunes)
	d.Certifications = cutList(d.Certifications, maxListItems, maxShortRunes)
	d.FormerNames = cutList(d.FormerNames, maxListItems, maxShortRunes)
	if len(d.SeasonMonths) > 12 {
		d.SeasonMonths = d.SeasonMonths[:12:12]
	}
	if len(d.ThumbURL) > maxURLBytes {
		d.ThumbURL = ""
	}
	return d
}

// cutRunes returns s cut to at most n characters.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// cutList returns at most n items of list, each cut to runes characters;
// list itself is unchanged.
func cutList(list []string, n, runes int) []string {
	if list == nil {
		return nil
	}
	out := make([]string, min(len(list), n))
	for i := range out {
		out[i] = cutRunes(list[i], runes)
	}
	return out
}

// Sort orders of a query.
const (
	SortRelevance = "relevance"
	SortPriceAsc  = "price_asc"
	SortPriceDesc = "price_desc"
	SortNewest    = "newest"
	SortStars     = "stars"
)

// Query is one search. Zero values mean "no filter".
type Query struct {
	Text          string
	Provinces     []string // slugs; any of them
	Groups        []string // OCOP group slugs; any of them
	MinStars      int
	Certification string
	Cooperative   string // slug
	MinPrice      int64
	MaxPrice      int64
	InSeason      int  // month 1–12: products in season that month; 0 = no filter
	InStock       bool // only products in stock
	// Typing says the text is still being typed (search as you type): its
	// last word then also matches as a prefix. A submitted query's last
	// word does only when it is not a whole word of the index.
	Typing  bool
	Sort    string
	Page    int // 1-based
	PerPage int
}

// Kinds of match of a hit (Hit.Match). An exact hit has every query word,
// as typed (a word typed with tones in that exact form, one typed without
// in any form) or as a synonym, outside the description. The others are
// loose: they come after every exact hit and are counted apart
// (Result.Loose).
const (
	MatchExact       = "exact"
	MatchDescription = "description" // a word only in the description
	MatchTypo        = "typo"        // a word matched as a misspelling (tone or letters)
	MatchPrefix      = "prefix"      // the last word matched as the start of a word
)

// Hit is one result.
type Hit struct {
	Document
	// Match is how the hit matched the text (MatchExact …); empty without
	// text.
	Match string `json:"match,omitempty"`
	// Highlights maps a field ("name", "description", "cooperative_name") to
	// its text with matches wrapped in <mark>…</mark>, HTML-escaped
	// otherwise.
	Highlights map[string]string `json:"highlights,omitempty"`
}

// FacetValue is one value of a facet with the number of hits that have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	// Label names the value when its slug would not do for a shopper: a
	// cooperative's name in the cooperative facet.
	Label string `json:"label,omitempty"`
}

// Facet names, each also the name of the filter it counts for.
const (
	FacetProvince      = "province"
	FacetGroup         = "group"
	FacetStars         = "stars"
	FacetCertification = "certification"
	FacetCooperative   = "cooperative"
)

// Facets of a result, computed over the query's hits ignoring pagination,
// keyed by facet name. A facet whose filter the query sets is disjunctive:
// it counts the hits of the query without that one filter (Query.Without),
// so that a shopper who chose a province still sees the others, with what
// choosing them too would add. Each facet holds at most its 200 most
// frequent values, most frequent first.
type Facets map[string][]FacetValue

// FilteredFacets returns the facets whose filter q sets, in a fixed order:
// those an engine counts over q.Without(facet) rather than over q.
func (q Query) FilteredFacets() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{FacetProvince, len(q.Provinces) > 0},
		{FacetGroup, len(q.Groups) > 0},
		{FacetStars, q.MinStars > 0},
		{FacetCertification, q.Certification != ""},
		{FacetCooperative, q.Cooperative != ""},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// Without returns q without the filter of facet; the other filters, the
// text and the order stay.
func (q Query) Without(facet string) Query {
	switch facet {
	case FacetProvince:
		q.Provinces = nil
	case FacetGroup:
		q.Groups = nil
	case FacetStars:
		q.MinStars = 0
	case FacetCertification:
		q.Certification = ""
	case FacetCooperative:
		q.Cooperative = ""
	}
	return q
}

// Result is the answer to a Query.
type Result struct {
	Hits []Hit `json:"hits"`
	// Total counts the exact hits in all pages (an engine may cap it, see
	// TotalExact); the facets count the same hits (the loose ones when
	// there is no exact hit).
	Total int `json:"total"`
	// Loose counts the hits that matched only loosely (Hit.Match), paged
	// after the exact ones.
	Loose int `json:"loose"`
	// Dropped are the query words that match nothing: the hits are those
	// of the other words.
	Dropped []string `json:"dropped,omitempty"`
	// Alternatives are queries near the text that do find products, when
	// it finds none; Popular the best products of the group the text
	// seems to be about (of all, when no group shows).
	Alternatives []Alternative `json:"alternatives,omitempty"`
	Popular      []Hit         `json:"popular,omitempty"`
	PopularGroup string        `json:"popular_group,omitempty"`
	// TotalExact is false when the engine stopped counting: Total is then
	// a lower bound (Meilisearch stops at its maxTotalHits; the postgres
	// engine counts every hit) and Facets count only the hits it counted.
	TotalExact bool   `json:"total_exact"`
	Facets     Facets `json:"facets"`
	Page       int    `json:"page"`
	PerPage    int    `json:"per_page"`
	// Engine names the engine that answered ("postgres", "meili").
	Engine string `json:"engine"`
}

// Alternative is a query that finds products, offered when a query finds
// none.
type Alternative struct {
	Text  string `json:"text"`
	Total int    `json:"total"`
}

// Suggestion is one instant suggestion for a prefix.
type Suggestion struct {
	Kind  string `json:"kind"` // "product", "cooperative" or "province"
	Text  string `json:"text"`
	Slug  string `json:"slug"`
	Extra string `json:"extra,omitempty"` // e.g. the province of a product
}

// SynonymGroup is a set of words shoppers use for the same thing
// (chè = trà). Both engines apply every group in both directions, except
// towards an ambiguous term (thơm is pineapple in the south, and
// "fragrant" everywhere): a query for another term of the group does not
// expand to it, while a query for it expands to the whole group.
type SynonymGroup struct {
	ID        int64    `json:"id"`
	Terms     []string `json:"terms"`
	Ambiguous []string `json:"ambiguous"`
}
