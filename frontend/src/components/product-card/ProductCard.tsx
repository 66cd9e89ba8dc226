import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { ProductSummary } from '../../api/catalog.ts';
import { formatVND } from '../../lib/format.ts';
import { OcopStars } from './OcopStars.tsx';
import { ProductThumb } from './ProductThumb.tsx';

/** ProductCard shows a product in a list: picture, name, cooperative, province, lowest price, OCOP stars. */
export function ProductCard({ product, provinceName }: { product: ProductSummary; provinceName: string }) {
  const { t } = useTranslation();
  return (
    <li className="product-card" data-testid="product-card" data-slug={product.slug}>
      <ProductThumb url={product.thumb_url} />
      <div className="product-card__body">
        <OcopStars stars={product.ocop_stars} />
        <h3 className="product-card__name">
          <Link to={`/san-pham/${product.slug}`} className="product-card__link">
            {product.name}
          </Link>
        </h3>
        <p className="product-card__coop">{product.cooperative.name}</p>
        <p className="product-card__province" data-testid="product-province">
          {provinceName}
        </p>
        <p className="product-card__price" data-testid="product-price">
          {product.price_vnd === null
            ? t('product.noPrice')
            : t('product.priceFrom', { price: formatVND(product.price_vnd) })}
        </p>
      </div>
    </li>
  );
}
