import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../api/search.ts';
import { OcopStars } from '../../components/product-card/OcopStars.tsx';
import { ProductThumb } from '../../components/product-card/ProductThumb.tsx';
import { formatVND } from '../../lib/format.ts';
import { Highlighted } from './Highlighted.tsx';

/** SearchHitCard is a product found: the product card, with the words that matched marked in its name and cooperative. */
export function SearchHitCard({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  return (
    <li className="product-card" data-testid="search-hit" data-slug={hit.slug}>
      <ProductThumb url={hit.thumb_url ?? null} />
      <div className="product-card__body">
        <OcopStars stars={hit.stars} />
        <h3 className="product-card__name" data-testid="search-hit-name">
          <Link to={`/san-pham/${hit.slug}`} className="product-card__link">
            <Highlighted marked={hit.highlights?.name} plain={hit.name} />
          </Link>
        </h3>
        <p className="product-card__coop">
          <Highlighted marked={hit.highlights?.cooperative_name} plain={hit.cooperative_name} />
        </p>
        <p className="product-card__province" data-testid="search-hit-province">
          {hit.province_name}
        </p>
        <p className="product-card__price">
          {t('product.priceFrom', { price: formatVND(hit.price) })}
          {hit.unit && <span className="search-hit__unit"> / {hit.unit}</span>}
        </p>
        {!hit.in_stock && <p className="search-hit__stock">{t('searchPage.outOfStock')}</p>}
      </div>
    </li>
  );
}
