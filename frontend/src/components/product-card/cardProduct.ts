// What a product card shows, from either source of product lists: the
// search API (hits: unit and stock known, matches marked) and the catalog
// API (summaries: a storefront's products).
import type { ProductSummary } from '../../api/catalog.ts';
import type { SearchHit } from '../../api/search.ts';

/** CardProduct is a product as a card shows it. */
export interface CardProduct {
  id: string;
  slug: string;
  name: string;
  /** nameMarked and coopMarked are the server's marked-up matches (<mark>), when searched for. */
  nameMarked?: string | undefined;
  coopMarked?: string | undefined;
  thumbURL: string | null;
  stars: number;
  cooperativeName: string;
  provinceName: string;
  /** price is the lowest price in VND; null when the product has none on sale. */
  price: number | null;
  /** priceMax is the highest packaging's price, when known: above price when the packagings differ in price. */
  priceMax?: number | undefined;
  /** unit is the unit of the lowest price ("kg", "chai 500 ml"), when known. */
  unit?: string | undefined;
  /** inStock is whether any packaging can be bought now, when known. */
  inStock?: boolean | undefined;
}

/** fromHit is a search hit as a card shows it. */
export function fromHit(hit: SearchHit): CardProduct {
  return {
    id: hit.id,
    slug: hit.slug,
    name: hit.name,
    nameMarked: hit.highlights?.name,
    coopMarked: hit.highlights?.cooperative_name,
    thumbURL: hit.thumb_url ?? null,
    stars: hit.stars,
    cooperativeName: hit.cooperative_name,
    provinceName: hit.province_name,
    price: hit.price_vnd,
    priceMax: hit.price_max_vnd,
    unit: hit.unit || undefined,
    inStock: hit.in_stock,
  };
}

/** fromSummary is a catalog summary as a card shows it; the province's name comes from the province list. */
export function fromSummary(p: ProductSummary, provinceName: string): CardProduct {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    thumbURL: p.thumb_url,
    stars: p.ocop_stars,
    cooperativeName: p.cooperative.name,
    provinceName,
    price: p.price_vnd,
    priceMax: p.price_max_vnd,
  };
}
