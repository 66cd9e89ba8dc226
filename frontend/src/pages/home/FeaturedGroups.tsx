import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ocopGroups, type OcopGroup } from '../../lib/ocopGroups.ts';
import { productListURL } from '../product-list/productQuery.ts';

// A picture for each group, decorative only.
const icons: Record<OcopGroup, string> = {
  'thuc-pham': '🍚',
  'do-uong': '🍵',
  'duoc-lieu': '🌿',
  'thu-cong-my-nghe': '🏺',
  'sinh-vat-canh': '🪴',
  'du-lich': '🏞️',
};

/** FeaturedGroups offers the OCOP product groups, each linking to its products. */
export function FeaturedGroups() {
  const { t } = useTranslation();
  return (
    <section className="home-section" aria-labelledby="groups-title">
      <div className="home-section__header">
        <h2 id="groups-title" className="home-section__title">
          {t('home.groups')}
        </h2>
      </div>
      <ul className="group-list">
        {ocopGroups.map((g) => (
          <li key={g}>
            <Link to={productListURL({ group: g })} className="group-card" data-testid="group-link">
              <span className="group-card__icon" aria-hidden="true">
                {icons[g]}
              </span>
              <span className="group-card__name">{t(`groups.${g}`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
