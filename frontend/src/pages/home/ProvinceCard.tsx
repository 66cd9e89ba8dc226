import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { productListURL } from '../product-list/productQuery.ts';
import type { Province } from '../../api/provinces.ts';

/** ProvinceCard shows one province, linking to its products: its name, kind, administrative centre and the former provinces it took in. */
export function ProvinceCard({ province }: { province: Province }) {
  const { t, i18n } = useTranslation();
  // The API leaves the province's own name out of merged_from; drop it anyway
  // so that "includes former Hà Nội" can never appear.
  const former = province.merged_from.filter((name) => name !== province.name);
  const names = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(former);

  return (
    <li className="province-card" data-testid="province-item" data-slug={province.slug}>
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
      <p className="province-card__capital">{t('provinces.capital', { capital: province.capital })}</p>
      {former.length > 0 && <p className="province-card__former">{t('provinces.includesFormer', { names })}</p>}
    </li>
  );
}
