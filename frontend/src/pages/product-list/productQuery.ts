// The product list's filters and order, read from and written to the URL
// query so that a filtered list can be shared: /san-pham?province=ha-noi&sort=price_asc.
import { productSorts, type ProductFilter, type ProductSort } from '../../api/catalog.ts';

export const productListPath = '/san-pham';

/** certifications are the certifications offered as filters. */
export const certifications = ['VietGAP', 'GlobalGAP', 'Hữu cơ', 'HACCP', 'ISO 22000'] as const;

/** readFilter turns the URL query into the list's filter, ignoring what does not parse. */
export function readFilter(params: URLSearchParams): ProductFilter {
  const sort = params.get('sort') ?? '';
  const stars = Number(params.get('stars'));
  return {
    province: params.get('province') || undefined,
    group: params.get('group') || undefined,
    stars: [3, 4, 5].includes(stars) ? stars : undefined,
    certification: params.get('certification') || undefined,
    min_price: price(params.get('min_price')),
    max_price: price(params.get('max_price')),
    in_season: params.get('in_season') === 'true' ? true : undefined,
    sort: (productSorts as readonly string[]).includes(sort) ? (sort as ProductSort) : undefined,
  };
}

/** filterQuery writes a filter as URL search parameters, leaving defaults out. */
export function filterQuery(filter: ProductFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['province', 'group', 'stars', 'certification', 'min_price', 'max_price', 'in_season', 'sort'] as const) {
    const value = filter[key];
    if (value === undefined || value === false || value === '') continue;
    if (key === 'sort' && value === 'newest') continue;
    params.set(key, String(value));
  }
  return params;
}

/** productListURL is the address of the product list with a filter: the home page links here. */
export function productListURL(filter: ProductFilter): string {
  const q = filterQuery(filter).toString();
  return q ? `${productListPath}?${q}` : productListPath;
}

function price(value: string | null): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
