import type { ProductSummary } from '../../api/catalog.ts';
import type { SearchHit } from '../../api/search.ts';
import { useProvinceList } from '../province/useProvinceList.ts';
import { fromHit, fromSummary } from './cardProduct.ts';
import { listCardIds, ProductCard, type CardTestIds } from './ProductCard.tsx';
import './product-card.css';

/** ProductGrid lays catalog products out as cards, in as many columns as fit (two on a phone). */
export function ProductGrid({ products, label }: { products: ProductSummary[]; label?: string }) {
  const { provinceName } = useProvinceList();
  return (
    <ul className="product-grid" data-testid="product-grid" aria-label={label}>
      {products.map((p) => (
        <ProductCard key={p.id} product={fromSummary(p, provinceName(p.province))} />
      ))}
    </ul>
  );
}

/** HitGrid lays search hits out as the same cards: the product list, the search results and the home page's newest. */
export function HitGrid({
  hits,
  testId = 'product-grid',
  testIds = listCardIds,
  label,
}: {
  hits: SearchHit[];
  testId?: string;
  testIds?: CardTestIds;
  label?: string;
}) {
  return (
    <ul className="product-grid" data-testid={testId} aria-label={label}>
      {hits.map((h) => (
        <ProductCard key={h.id} product={fromHit(h)} testIds={testIds} />
      ))}
    </ul>
  );
}
