import type { ProductSummary } from '../../api/catalog.ts';
import { useProvinceList } from '../province/useProvinceList.ts';
import { ProductCard } from './ProductCard.tsx';
import './product-card.css';

/** ProductGrid lays product cards out in as many columns as fit. */
export function ProductGrid({ products, label }: { products: ProductSummary[]; label?: string }) {
  const { provinceName } = useProvinceList();
  return (
    <ul className="product-grid" data-testid="product-grid" aria-label={label}>
      {products.map((p) => (
        <ProductCard key={p.id} product={p} provinceName={provinceName(p.province)} />
      ))}
    </ul>
  );
}
