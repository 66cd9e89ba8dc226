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

/** SearchParams is what GET /api/v1/search takes. */
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
