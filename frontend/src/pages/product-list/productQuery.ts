// The product list's filters and order, read from and written to the URL
// query so that a filtered list can be shared: /san-pham?province=ha-noi&sort=price_asc.
// The filters are the search page's (components/product-filters).
import { productSorts, type ProductSort } from '../../api/catalog.ts';
import { readFilters, writeFilters, type FilterState } from '../../components/product-filters/filterState.ts';

export const productListPath = '/san-pham';

/** certifications are the certifications products are commonly certified with. */
export const certifications = ['VietGAP', 'GlobalGAP', 'Hữu cơ', 'HACCP', 'ISO 22000'] as const;

/** ProductListState is the list as the URL holds it: filters and order (newest first by default). */
export type ProductListState = FilterState & { sort?: ProductSort | undefined };

/** readProductList turns the URL query into the list's state, ignoring what does not parse. */
export function readProductList(params: URLSearchParams): ProductListState {
  const sort = params.get('sort') ?? '';
  return {
    ...readFilters(params),
    sort: (productSorts as readonly string[]).includes(sort) ? (sort as ProductSort) : undefined,
  };
}

/** productListQuery writes the list's state as URL search parameters, leaving defaults out. */
export function productListQuery(state: ProductListState): URLSearchParams {
  const params = new URLSearchParams();
  writeFilters(state, params);
  if (state.sort && state.sort !== 'newest') params.set('sort', state.sort);
  return params;
}

/** productListURL is the address of the product list with a filter: the home and product pages link here. */
export function productListURL(state: ProductListState): string {
  const q = productListQuery(state).toString();
  return q ? `${productListPath}?${q}` : productListPath;
}
