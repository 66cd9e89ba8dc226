// The filters the product list (/san-pham) and the search (/tim-kiem) share,
// read from and written to the URL the same way on both pages. Provinces and
// groups take several values: repeated in the URL (province=a&province=b),
// comma-joined for the search API (province=a,b).
import type { SearchFacet, SearchParams } from '../../api/search.ts';

/** FilterState is the filters of a product list, without its words, order or page. */
export type FilterState = Pick<
  SearchParams,
  'province' | 'group' | 'stars' | 'certification' | 'cooperative' | 'min_price' | 'max_price' | 'in_season' | 'in_stock'
>;

/** filterKeys are the URL parameters of the filters, in the order they are written. */
export const filterKeys = [
  'province',
  'group',
  'stars',
  'certification',
  'cooperative',
  'min_price',
  'max_price',
  'in_season',
  'in_stock',
] as const satisfies readonly (keyof FilterState)[];

/** readFilters reads the filters from the URL query, ignoring what does not parse. */
export function readFilters(params: URLSearchParams): FilterState {
  const stars = Number(params.get('stars'));
  return {
    province: joinList(params.getAll('province').flatMap(splitList)),
    group: joinList(params.getAll('group').flatMap(splitList)),
    stars: [3, 4, 5].includes(stars) ? stars : undefined,
    certification: params.get('certification') || undefined,
    cooperative: params.get('cooperative') || undefined,
    min_price: price(params.get('min_price')),
    max_price: price(params.get('max_price')),
    in_season: params.get('in_season') === 'true' ? true : undefined,
    in_stock: params.get('in_stock') === 'true' ? true : undefined,
  };
}

/** writeFilters adds the filters in use to params, a list filter's values repeated. */
export function writeFilters(state: FilterState, params: URLSearchParams): void {
  for (const key of filterKeys) {
    const value = state[key];
    if (value === undefined || value === false || value === '') continue;
    if (key === 'province' || key === 'group') {
      for (const slug of splitList(String(value))) params.append(key, slug);
      continue;
    }
    params.set(key, String(value));
  }
}

/** onlyFilters keeps the filters of a page's state, leaving its words, order and page. */
export function onlyFilters(state: FilterState): FilterState {
  const out: FilterState = {};
  for (const key of filterKeys) {
    const value = state[key];
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** withoutFilters is state with every filter removed (its words, order and such kept). */
export function withoutFilters<S extends FilterState>(state: S): S {
  const out = { ...state };
  for (const key of filterKeys) delete out[key];
  return out;
}

/** filterCount is how many choices narrow the list: each province and group counts, a price range once. */
export function filterCount(state: FilterState): number {
  let n = splitList(state.province).length + splitList(state.group).length;
  if (state.stars) n++;
  if (state.certification) n++;
  if (state.cooperative) n++;
  if (state.min_price !== undefined || state.max_price !== undefined) n++;
  if (state.in_season) n++;
  if (state.in_stock) n++;
  return n;
}

/** hasFilters tells whether any filter narrows the list. */
export function hasFilters(state: FilterState): boolean {
  return filterCount(state) > 0;
}

/** chosenValues are the values of a facet's filter in state. */
export function chosenValues(state: FilterState, facet: SearchFacet): string[] {
  if (facet === 'province' || facet === 'group') return splitList(state[facet]);
  const value = state[facet];
  return value === undefined ? [] : [String(value)];
}

/**
 * toggle chooses a facet's value, or removes it when it is chosen; a value
 * of a province or group is added to those chosen.
 */
export function toggle<S extends FilterState>(state: S, facet: SearchFacet, value: string): S {
  const chosen = chosenValues(state, facet);
  const next: S = { ...state };
  if (facet === 'province' || facet === 'group') {
    next[facet] = joinList(chosen.includes(value) ? chosen.filter((c) => c !== value) : [...chosen, value]);
  } else if (facet === 'stars') {
    next.stars = chosen.includes(value) ? undefined : Number(value);
  } else {
    next[facet] = chosen.includes(value) ? undefined : value;
  }
  return next;
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

/** toPrice reads a typed price ("150.000" or "150000"); undefined when blank or not a whole number of đồng. */
export function toPrice(text: string): number | undefined {
  const n = Number(text.replace(/[.\s]/g, ''));
  return text.trim() !== '' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function price(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
