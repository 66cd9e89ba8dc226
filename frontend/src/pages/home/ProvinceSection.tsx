import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { SearchFacetValue } from '../../api/search.ts';
import { ProvinceCard } from './ProvinceCard.tsx';
import { useProvinces } from './useProvinces.ts';

/**
 * ProvinceSection lists the 34 provinces and cities, each with how many
 * products it has (counts, the search's province facet, come with the home
 * page's products; a province without any is not counted there), with
 * loading, error and empty states.
 */
export function ProvinceSection({ counts }: { counts: SearchFacetValue[] | undefined }) {
  const { t } = useTranslation();
  const provinces = useProvinces();
  const countOf = new Map((counts ?? []).map((v) => [v.value, v.count]));

  return (
    <section className="provinces" aria-labelledby="provinces-title" aria-busy={provinces.status === 'loading'}>
      <div className="provinces__header">
        <h2 id="provinces-title" className="provinces__title">
          {t('provinces.heading')}
        </h2>
        {provinces.status === 'ready' && provinces.provinces.length > 0 && (
          <p className="provinces__count">{t('provinces.count', { total: provinces.provinces.length })}</p>
        )}
      </div>

      {provinces.status === 'loading' && (
        <p className="provinces__message" role="status" data-testid="provinces-loading">
          {t('provinces.loading')}
        </p>
      )}

      {provinces.status === 'error' && (
        <div className="provinces__message provinces__message--error" role="alert" data-testid="provinces-error">
          <p>{t('provinces.error')}</p>
          <p className="provinces__detail">{describeError(provinces.error, t)}</p>
          <button type="button" className="provinces__retry" onClick={provinces.retry}>
            {t('provinces.retry')}
          </button>
        </div>
      )}

      {provinces.status === 'ready' && provinces.provinces.length === 0 && (
        <p className="provinces__message" data-testid="provinces-empty">
          {t('provinces.empty')}
        </p>
      )}

      {provinces.status === 'ready' && provinces.provinces.length > 0 && (
        <ul className="provinces__list" data-testid="province-list">
          {provinces.provinces.map((province) => (
            <ProvinceCard key={province.slug} province={province} products={counts ? (countOf.get(province.slug) ?? 0) : undefined} />
          ))}
        </ul>
      )}
    </section>
  );
}

// describeError prefers the server's own explanation (problem+json detail).
function describeError(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.detail) return error.detail;
    if (error.isNetworkError) return t('errors.network');
  }
  return t('errors.unexpected');
}
