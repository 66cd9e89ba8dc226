import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SearchResult } from '../../api/search.ts';
import type { Load } from '../../lib/useLoad.ts';

/** shown is how many cooperatives the home page offers. */
const shown = 8;

/**
 * FeaturedCooperatives offers the cooperatives with the most products on
 * sale (the search's cooperative counts), each linking to its storefront,
 * and the way to all of them.
 */
export function FeaturedCooperatives({ catalog }: { catalog: Load<SearchResult> }) {
  const { t } = useTranslation();
  const coops = catalog.status === 'ready' ? (catalog.data.facets.cooperative ?? []).slice(0, shown) : [];
  if (catalog.status === 'error' || (catalog.status === 'ready' && coops.length === 0)) return null;
  return (
    <section className="home-section" aria-labelledby="coops-title" aria-busy={catalog.status === 'loading'}>
      <div className="home-section__header">
        <h2 id="coops-title" className="home-section__title">
          {t('home.cooperatives')}
        </h2>
        <Link to="/hop-tac-xa" className="home-section__more">
          {t('home.allCooperatives')}
        </Link>
      </div>
      <ul className="coop-strip" data-testid="home-cooperatives">
        {catalog.status === 'loading' &&
          Array.from({ length: 4 }, (_, i) => <li key={i} className="coop-chip coop-chip--skeleton" aria-hidden="true" />)}
        {coops.map((c) => {
          const name = c.label ?? c.value;
          return (
            <li key={c.value}>
              <Link to={`/hop-tac-xa/${c.value}`} className="coop-chip" data-testid="home-cooperative">
                <span className="coop-chip__avatar" aria-hidden="true">
                  {initial(name)}
                </span>
                <span className="coop-chip__text">
                  <span className="coop-chip__name">{name}</span>
                  <span className="coop-chip__count">{t('directory.products', { count: c.count })}</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** initial is the first letter of the name after "HTX" or "Hợp tác xã": what tells cooperatives apart. */
function initial(name: string): string {
  const rest = name.replace(/^(HTX|Hợp tác xã)\s+/iu, '');
  return (rest.charAt(0) || name.charAt(0)).toLocaleUpperCase('vi');
}
