import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { productListURL } from '../product-list/productQuery.ts';

// A picture for each known group, decorative only.
const icons: Record<string, string> = {
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
  const { status, error, groups, groupName, retry } = useOcopGroups();
  return (
    <section className="home-section" aria-labelledby="groups-title">
      <div className="home-section__header">
        <h2 id="groups-title" className="home-section__title">
          {t('home.groups')}
        </h2>
      </div>
      {status === 'loading' && <LoadingMessage>{t('groups.loading')}</LoadingMessage>}
      {status === 'error' && <ErrorMessage title={t('groups.error')} error={error} onRetry={retry} testId="groups-error" />}
      <ul className="group-list">
        {groups.map(({ slug }) => (
          <li key={slug}>
            <Link to={productListURL({ group: slug })} className="group-card" data-testid="group-link">
              <span className="group-card__icon" aria-hidden="true">
                {icons[slug] ?? '🏷️'}
              </span>
              <span className="group-card__name">{groupName(slug)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
