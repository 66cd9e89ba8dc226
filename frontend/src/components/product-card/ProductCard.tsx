import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatVND } from '../../lib/format.ts';
import type { CardProduct } from './cardProduct.ts';
import { Highlighted } from './Highlighted.tsx';
import { OcopStars } from './OcopStars.tsx';
import { ProductThumb } from './ProductThumb.tsx';

/** CardTestIds names a card's parts for the browser tests, which tell the product list's cards from search hits. */
export interface CardTestIds {
  card: string;
  name?: string;
  province: string;
  price: string;
}

/** listCardIds are the test IDs of the cards of the product list, the home page and storefronts. */
export const listCardIds: CardTestIds = { card: 'product-card', province: 'product-province', price: 'product-price' };

/** searchCardIds are the test IDs of the cards of the search results. */
export const searchCardIds: CardTestIds = {
  card: 'search-hit',
  name: 'search-hit-name',
  province: 'search-hit-province',
  price: 'search-hit-price',
};

/**
 * differentPrices says whether a card's product has packagings at different
 * prices, so that its price reads "từ …". A product whose range is not
 * known (an index built before it carried the range) keeps "từ": its price
 * is the lowest, which "từ" never misstates.
 */
function differentPrices(p: CardProduct): boolean {
  return p.price !== null && (p.priceMax === undefined || p.priceMax > p.price);
}

/**
 * ProductCard shows a product in a list, the same on every page: picture
 * with its OCOP stars, name, lowest price per unit, whether it is in stock,
 * cooperative and province. The whole card links to the product.
 */
export function ProductCard({ product, testIds = listCardIds }: { product: CardProduct; testIds?: CardTestIds }) {
  const { t } = useTranslation();
  return (
    <li className="product-card" data-testid={testIds.card} data-slug={product.slug}>
      <ProductThumb url={product.thumbURL} />
      <OcopStars stars={product.stars} />
      <div className="product-card__body">
        <h3 className="product-card__name" data-testid={testIds.name}>
          <Link to={`/san-pham/${product.slug}`} className="product-card__link">
            <Highlighted marked={product.nameMarked} plain={product.name} />
          </Link>
        </h3>
        <p className="product-card__price">
          <span data-testid={testIds.price}>
            {product.price === null
              ? t('product.noPrice')
              : differentPrices(product)
                ? t('product.priceFrom', { price: formatVND(product.price) })
                : formatVND(product.price)}
          </span>
          {product.unit && product.price !== null && (
            <span className="product-card__unit">{t('productCard.perUnit', { unit: product.unit })}</span>
          )}
        </p>
        {product.inStock === true && <p className="product-card__stock product-card__stock--in">{t('productCard.inStock')}</p>}
        {product.inStock === false && (
          // search-hit__stock marks a sold-out card for the browser tests.
          <p className="product-card__stock product-card__stock--out search-hit__stock">{t('productCard.outOfStock')}</p>
        )}
        <p className="product-card__coop">
          <Highlighted marked={product.coopMarked} plain={product.cooperativeName} />
        </p>
        <p className="product-card__province" data-testid={testIds.province}>
          {product.provinceName}
        </p>
      </div>
    </li>
  );
}
