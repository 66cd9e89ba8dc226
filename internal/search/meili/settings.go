package meili

import (
	"context"
	"slices"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"htxmarket/internal/search"
)

// Attributes of the index. Searchable ones are in weight order: a match in
// the name outranks one in the keywords, and so on (the "attribute" rule).
var (
	searchableAttributes = []string{"name", "keywords", "cooperative_name", "province_name", "former_names", "description"}
	// toned_keys are the document's toned words (search.ToneKey), for the
	// filter that keeps a word typed with tones to its exact form.
	filterableAttributes = []string{"province", "group", "stars", "certifications", "cooperative_slug", "price_vnd", "season_months", "in_stock", "toned_keys"}
	sortableAttributes   = []string{"price_vnd", "created_at", "stars"}
	// "sort" comes right after "typo" rather than in Meilisearch's default
	// place after "attribute": a shopper who asks for the cheapest first
	// must get prices in order among the hits without typos, not within
	// each of dozens of proximity and attribute buckets. Without a sort the
	// rule does nothing and the order is the default one. "exactness" last
	// puts the spelling the shopper typed, tones included (chè before che),
	// above the folded matches.
	rankingRules = []string{"words", "typo", "sort", "proximity", "attribute", "exactness"}
)

// settings are the index settings, without synonyms: those are staff's
// data, set by SetSynonyms and carried over by Rebuild.
//
// There is no distinctAttribute: documents are one per product with the
// product's ID as primary key, so a distinct rule on id could never drop a
// hit, only cost time. Diacritics need no folded copy: Meilisearch's
// tokenizer (charabia) removes tone marks and, since Meilisearch 1.7,
// normalises đ/Đ to d in Latin text, so "dac san" finds "đặc sản"; the
// contract suite checks it against a real server.
func settings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: searchableAttributes,
		FilterableAttributes: filterableAttributes,
		SortableAttributes:   sortableAttributes,
		RankingRules:         rankingRules,
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled: true,
			// One below Meilisearch's defaults (5 and 9): Vietnamese
			// syllables are short, so "mamm" must still find "mắm". Not
			// lower: a typo in a 3-letter syllable is nearly always another
			// real word (cá/cả/ca are told apart by tones, not typos).
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 4, TwoTypos: 8},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
			// 500g is not 600g.
			DisableOnNumbers: true,
		},
		// Total is exact up to this many hits; beyond, pages stop.
		Pagination: &meilisearch.Pagination{MaxTotalHits: maxTotalHits},
		// Most frequent values first, so that a long tail of cooperatives
		// loses its rarest ones, not its commonest.
		Faceting: &meilisearch.Faceting{MaxValuesPerFacet: maxFacetValues,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount}},
	}
}

// EnsureSettings creates the index when it is missing and applies the
// settings; it changes nothing when they are already in place. Synonyms
// are left as they are.
func (e *Engine) EnsureSettings(ctx context.Context) error {
	if err := e.ensureIndex(ctx, e.index, settings()); err != nil {
		return wrap("ensure settings", err)
	}
	e.mu.Lock()
	e.ensured = true
	e.mu.Unlock()
	return nil
}

// ensure runs EnsureSettings once per process before the first write.
func (e *Engine) ensure(ctx context.Context) error {
	e.mu.Lock()
	done := e.ensured
	e.mu.Unlock()
	if done {
		return nil
	}
	return e.EnsureSettings(ctx)
}

// ensureIndex creates index uid with primary key id unless it exists, and
// applies s to it.
func (e *Engine) ensureIndex(ctx context.Context, uid string, s *meilisearch.Settings) error {
	ctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
	defer cancel()
	t, err := e.ms.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
	if err != nil {
		return err
	}
	if err := e.wait(ctx, t); err != nil && apiCode(err) != "index_already_exists" {
		return err
	}
	t, err = e.ms.Index(uid).UpdateSettingsWithContext(ctx, s)
	if err != nil {
		return err
	}
	return e.wait(ctx, t)
}

// SetSynonyms replaces the synonyms. Meilisearch's synonyms go one way
// (word → its synonyms), so each group becomes one entry per term listing
// the group's other terms.
func (e *Engine) SetSynonyms(ctx context.Context, groups []search.SynonymGroup) error {
	if err := e.ensure(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
	defer cancel()
	m := synonyms(groups)
	t, err := e.ms.Index(e.index).UpdateSynonymsWithContext(ctx, &m)
	if err == nil {
		err = e.wait(ctx, t)
	}
	if err == nil {
		e.synMu.Lock()
		e.syn = m
		e.synMu.Unlock()
	}
	return wrap("set synonyms", err)
}

// synonyms expands groups into Meilisearch's one-way map: every term maps
// to every other term of its groups but the ambiguous ones (thơm maps to
// dứa and khóm; they do not map to thơm). Terms are trimmed and
// lowercased; a term in two groups gets the union. Lists are sorted so that the request
// is the same for the same groups.
func synonyms(groups []search.SynonymGroup) map[string][]string {
	m := map[string][]string{}
	for _, g := range groups {
		var terms []string
		for _, t := range g.Terms {
			t = strings.Join(strings.Fields(strings.ToLower(t)), " ")
			if t != "" && !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
		ambiguous := map[string]bool{}
		for _, a := range g.Ambiguous {
			ambiguous[strings.Join(strings.Fields(strings.ToLower(a)), " ")] = true
		}
		for _, t := range terms {
			for _, o := range terms {
				if o != t && !ambiguous[o] && !slices.Contains(m[t], o) {
					m[t] = append(m[t], o)
				}
			}
		}
	}
	for _, v := range m {
		slices.Sort(v)
	}
	return m
}

// maxTotalHits is how far Meilisearch counts hits and pages.
const maxTotalHits = 10000

// maxFacetValues is how many values of a facet Meilisearch returns.
const maxFacetValues = 200
