// The search page's query, filters, order and page, read from and written to
// the URL so that a search can be shared and back/forward work:
// /tim-kiem?q=nuoc+mam&province=da-nang,hue&in_stock=true&sort=price_asc&page=2.
// Provinces and groups are lists, comma-separated as the API takes them.
import { searchSorts, type SearchParams, type SearchSort, type SearchSuggestion } from '../../api/search.ts';

export const searchPath = '/tim-kiem';

/** SearchState is a search as the URL holds it; page counts from 1. */
export type SearchState = Omit<SearchParams, 'per_page'>;

const keys = [
  'q',
  'province',
  'group',
  'stars',
  'certification',
  'cooperative',
  'min_price',
  'max_price',
  'in_season',
  'in_stock',
  'sort',
  'page',
] as const;

/** readSearch turns the URL query into a search, ignoring what does not parse. */
export function readSearch(params: URLSearchParams): SearchState {
  const sort = params.get('sort') ?? '';
  const stars = Number(params.get('stars'));
  const page = Number(params.get('page'));
  return {
    q: params.get('q')?.trim() || undefined,
    province: joinList(params.getAll('province').flatMap(splitList)),
    group: joinList(params.getAll('group').flatMap(splitList)),
    stars: [3, 4, 5].includes(stars) ? stars : undefined,
    certification: params.get('certification') || undefined,
    cooperative: params.get('cooperative') || undefined,
    min_price: price(params.get('min_price')),
    max_price: price(params.get('max_price')),
    in_season: params.get('in_season') === 'true' ? true : undefined,
    in_stock: params.get('in_stock') === 'true' ? true : undefined,
    sort: (searchSorts as readonly string[]).includes(sort) ? (sort as SearchSort) : undefined,
    page: Number.isInteger(page) && page > 1 && page <= maxPage ? page : undefined,
  };
}

/** maxPage is the last page the API serves. */
export const maxPage = 100;

/** searchQuery writes a search as URL parameters, leaving defaults out; a list filter's slugs are repeated (province=a&province=b). */
export function searchQuery(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = state[key];
    if (value === undefined || value === false || value === '') continue;
    if (key === 'sort' && value === 'relevance') continue;
    if (key === 'page' && value === 1) continue;
    if (key === 'province' || key === 'group') {
      for (const slug of splitList(String(value))) params.append(key, slug);
      continue;
    }
    params.set(key, String(value));
  }
  return params;
}

/** searchURL is the address of the search page showing state. */
export function searchURL(state: SearchState): string {
  const q = searchQuery(state).toString();
  return q ? `${searchPath}?${q}` : searchPath;
}

/** hasFilters tells whether anything but the words, the order and the page narrows the search. */
export function hasFilters(state: SearchState): boolean {
  const { q: _q, sort: _sort, page: _page, ...filters } = state;
  return Object.values(filters).some((v) => v !== undefined);
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

/** splitList reads a list filter (province, group): its slugs, without blanks. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** joinList writes a list filter, each slug once; undefined when empty. */
export function joinList(values: string[]): string | undefined {
  return values.length > 0 ? [...new Set(values)].join(',') : undefined;
}

function price(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
