// Product search (/api/v1/search) and instant suggestions (/api/v1/search/suggest).
import { get, query } from './client.ts';
import type { components, operations } from './schema';

export type SearchResult = operations['searchProducts']['responses'][200];
export type SearchHit = components['schemas']['SearchHit'];
export type SearchFacetValue = components['schemas']['SearchFacetValue'];
export type SearchSuggestion = components['schemas']['SearchSuggestion'];
export type SuggestionKind = SearchSuggestion['kind'];

/** SearchSort is an order the search offers; relevance is the default. */
export type SearchSort = 'relevance' | 'price_asc' | 'price_desc' | 'newest' | 'stars';
export const searchSorts: readonly SearchSort[] = ['relevance', 'price_asc', 'price_desc', 'newest', 'stars'];

/** SearchFacet names a facet the result counts by, and the filter of the same name. */
export type SearchFacet = 'province' | 'group' | 'stars' | 'certification' | 'cooperative';

/**
 * multiFacets are the facets whose filter takes several values, any of
 * them. The facet of a filter in use counts as if that filter were not
 * (the API's disjunctive facets), so their other values show what adding
 * them would bring.
 */
export const multiFacets: readonly SearchFacet[] = ['province', 'group'];

/** SearchParams is what GET /api/v1/search takes; province and group may list several slugs, comma-separated. */
export interface SearchParams {
  q?: string | undefined;
  province?: string | undefined;
  group?: string | undefined;
  stars?: number | undefined;
  certification?: string | undefined;
  cooperative?: string | undefined;
  min_price?: number | undefined;
  max_price?: number | undefined;
  in_season?: boolean | undefined;
  in_stock?: boolean | undefined;
  sort?: SearchSort | undefined;
  page?: number | undefined;
  per_page?: number | undefined;
}

/** searchProducts runs a search: a page of hits, the total and the facet counts. */
export function searchProducts(params: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
  return get<SearchResult>(`/search${query({ ...params })}`, signal);
}

/** suggest returns instant suggestions for what is being typed: products first, then cooperatives, then provinces. */
export async function suggest(q: string, signal?: AbortSignal, limit?: number): Promise<SearchSuggestion[]> {
  const res = await get<operations['suggestSearch']['responses'][200]>(`/search/suggest${query({ q, limit })}`, signal);
  return res.suggestions;
}
