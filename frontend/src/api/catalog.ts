// The product catalog (/api/v1/products, /api/v1/cooperatives/{coop}/products).
import { get, post, query, request } from './client.ts';
import type { components, operations } from './schema';

/** ProductSummary is a product as lists show it. */
export type ProductSummary = components['schemas']['ProductSummary'];
/** Product is a product page. */
export type Product = components['schemas']['Product'];
/** ProductPage is one page of a product list; next_cursor is empty on the last. */
export type ProductPage = operations['listProducts']['responses'][200];
export type Variant = components['schemas']['Variant'];
export type PriceTier = components['schemas']['PriceTier'];
export type ProductImage = components['schemas']['ProductImage'];
export type ProductStatus = components['schemas']['ProductStatus'];
export type NewProduct = components['schemas']['NewProduct'];
export type ProductUpdate = components['schemas']['ProductUpdate'];
/** OCOPInput sets a product's OCOP rating; stars 0 removes it, other stars need the certificate and its expiry. */
export type OCOPInput = components['schemas']['OCOPInput'];
export type NewVariant = components['schemas']['NewVariant'];
export type VariantUpdate = components['schemas']['VariantUpdate'];
export type ImportReport = components['schemas']['ImportReport'];

/** ProductSort is an order the product list offers. */
export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'stars';
export const productSorts: readonly ProductSort[] = ['newest', 'price_asc', 'price_desc', 'stars'];

/** ProductFilter is what GET /api/v1/products filters and sorts by. */
export interface ProductFilter {
  province?: string | undefined;
  group?: string | undefined;
  stars?: number | undefined;
  certification?: string | undefined;
  cooperative?: string | undefined;
  min_price?: number | undefined;
  max_price?: number | undefined;
  in_season?: boolean | undefined;
  sort?: ProductSort | undefined;
  limit?: number | undefined;
}

/** listProducts fetches a page of the active products of verified cooperatives. */
export function listProducts(filter: ProductFilter, cursor?: string, signal?: AbortSignal): Promise<ProductPage> {
  return get<ProductPage>(`/products${query({ ...filter, cursor })}`, signal);
}

/** getProduct fetches a product page by slug or ID. */
export function getProduct(slug: string, signal?: AbortSignal): Promise<Product> {
  return get<Product>(`/products/${encodeURIComponent(slug)}`, signal);
}

/** listCooperativeProducts fetches a page of a cooperative's own products, drafts included (members). */
export function listCooperativeProducts(coop: string, cursor?: string, signal?: AbortSignal): Promise<ProductPage> {
  return get<ProductPage>(
    `/cooperatives/${encodeURIComponent(coop)}/products${query({ cursor, limit: 50 })}`,
    signal,
  );
}

/** createProduct adds a product with its variants to a cooperative. */
export function createProduct(coop: string, input: NewProduct): Promise<Product> {
  return post<Product>(`/cooperatives/${encodeURIComponent(coop)}/products`, input);
}

/** updateProduct changes a product; fields left out are unchanged. */
export function updateProduct(product: string, input: ProductUpdate): Promise<Product> {
  return request<Product>(`/products/${encodeURIComponent(product)}`, { method: 'PATCH', body: input });
}

/** addVariant adds a packaging to a product; a SKU the cooperative already uses is refused (409). */
export function addVariant(product: string, input: NewVariant): Promise<Product> {
  return post<Product>(`/products/${encodeURIComponent(product)}/variants`, input);
}

/** updateVariant changes a packaging; fields left out are unchanged, and its SKU cannot change. */
export function updateVariant(product: string, variant: string, input: VariantUpdate): Promise<Product> {
  return request<Product>(
    `/products/${encodeURIComponent(product)}/variants/${encodeURIComponent(variant)}`,
    { method: 'PATCH', body: input },
  );
}

/** archiveVariant takes a packaging out of sale (managers); it stays for past orders. */
export function archiveVariant(product: string, variant: string): Promise<Product> {
  return request<Product>(
    `/products/${encodeURIComponent(product)}/variants/${encodeURIComponent(variant)}`,
    { method: 'DELETE' },
  );
}

/** setStock sets a variant's stock as counted. */
export function setStock(product: string, variant: string, stock: number): Promise<Product> {
  return request<Product>(
    `/products/${encodeURIComponent(product)}/variants/${encodeURIComponent(variant)}/stock`,
    { method: 'PUT', body: { stock } },
  );
}

/** uploadImage adds an image to a product; the answer is the product with its images. */
export function uploadImage(product: string, file: File, alt: string): Promise<Product> {
  const form = new FormData();
  form.set('file', file);
  if (alt) form.set('alt', alt);
  return request<Product>(`/products/${encodeURIComponent(product)}/images`, { method: 'POST', body: form });
}

/**
 * importCatalog sends a catalog CSV. A dry run only reports; otherwise the
 * import is all or nothing. A rejected file (422) still answers with its
 * report, which is returned like a success.
 */
export async function importCatalog(coop: string, file: File, dryRun: boolean): Promise<ImportReport> {
  const form = new FormData();
  form.set('file', file);
  return request<ImportReport>(
    `/cooperatives/${encodeURIComponent(coop)}/products/import${query({ dry_run: dryRun })}`,
    { method: 'POST', body: form },
  );
}

/** exportCatalogURL is the address of the cooperative's catalog as CSV. */
export function exportCatalogURL(coop: string): string {
  return `/api/v1/cooperatives/${encodeURIComponent(coop)}/products/export.csv`;
}
