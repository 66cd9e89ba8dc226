// The search page's query, filters, order and page, read from and written to
// the URL so that a search can be shared and back/forward work:
// /tim-kiem?q=nuoc+mam&province=da-nang&province=hue&in_stock=true&sort=price_asc&page=2.
// The filters are those the product list shares (components/product-filters).
import { searchSorts, type SearchParams, type SearchSort, type SearchSuggestion } from '../../api/search.ts';
import { readFilters, writeFilters } from '../../components/product-filters/filterState.ts';

export { hasFilters, joinList, splitList } from '../../components/product-filters/filterState.ts';

export const searchPath = '/tim-kiem';

/** SearchState is a search as the URL holds it; page counts from 1. */
export type SearchState = Omit<SearchParams, 'per_page'>;

/** readSearch turns the URL query into a search, ignoring what does not parse. */
export function readSearch(params: URLSearchParams): SearchState {
  const sort = params.get('sort') ?? '';
  const page = Number(params.get('page'));
  return {
    q: params.get('q')?.trim() || undefined,
    ...readFilters(params),
    sort: (searchSorts as readonly string[]).includes(sort) ? (sort as SearchSort) : undefined,
    page: Number.isInteger(page) && page > 1 && page <= maxPage ? page : undefined,
  };
}

/** maxPage is the last page the API serves. */
export const maxPage = 100;

/** searchQuery writes a search as URL parameters, leaving defaults out; a list filter's slugs are repeated (province=a&province=b). */
export function searchQuery(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  writeFilters(state, params);
  if (state.sort && state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page && state.page > 1) params.set('page', String(state.page));
  return params;
}

/** searchURL is the address of the search page showing state. */
export function searchURL(state: SearchState): string {
  const q = searchQuery(state).toString();
  return q ? `${searchPath}?${q}` : searchPath;
}

/** suggestionPath is where choosing a suggestion leads: a product's page, a storefront, a province's results. */
export function suggestionPath(s: SearchSuggestion): string {
  switch (s.kind) {
    case 'product':
      return `/san-pham/${s.slug}`;
    case 'cooperative':
      return `/hop-tac-xa/${s.slug}`;
    case 'province':
      return searchURL({ province: s.slug });
  }
}
