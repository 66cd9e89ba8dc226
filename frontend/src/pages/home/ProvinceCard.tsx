import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { productListURL } from '../product-list/productQuery.ts';
import type { Province } from '../../api/provinces.ts';

/**
 * ProvinceCard shows one province, linking to its products: its name, kind,
 * how many products it has (once known) and the former provinces it took in,
 * which shoppers still know their specialities by.
 */
export function ProvinceCard({ province, products }: { province: Province; products: number | undefined }) {
  const { t, i18n } = useTranslation();
  // The API leaves the province's own name out of merged_from; drop it anyway
  // so that "includes former Hà Nội" can never appear.
  const former = province.merged_from.filter((name) => name !== province.name);
  const names = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(former);

  return (
    <li
      className={products === 0 ? 'province-card province-card--empty' : 'province-card'}
      data-testid="province-item"
      data-slug={province.slug}
      data-products={products}
    >
      <div className="province-card__top">
        <h3 className="province-card__name">
          <Link to={productListURL({ province: province.slug })} className="province-card__link">
            {province.name}
          </Link>
        </h3>
        <span className={`province-card__kind province-card__kind--${province.kind}`}>
          {t(`provinces.kind.${province.kind}`)}
        </span>
      </div>
      <p className="province-card__products" data-testid="province-products">
        {products === undefined ? '\u00a0' : products === 0 ? t('provinces.noProducts') : t('provinces.products', { count: products })}
      </p>
      {former.length > 0 && <p className="province-card__former">{t('provinces.includesFormer', { names })}</p>}
    </li>
  );
}
