import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SearchHit, SearchResult } from '../../api/search.ts';
import { HitGrid } from '../../components/product-card/ProductGrid.tsx';
import { searchCardIds } from '../../components/product-card/ProductCard.tsx';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { searchURL, type SearchState } from './searchQuery.ts';

/** isLoose reports whether a hit matched the words only loosely (description only, a misspelling, a prefix). */
export function isLoose(hit: SearchHit): boolean {
  return hit.match !== undefined && hit.match !== 'exact';
}

/** DroppedWords says which words of the query matched nothing and were left out. */
export function DroppedWords({ result }: { result: SearchResult }) {
  const { t } = useTranslation('precision');
  if (!result.dropped || result.dropped.length === 0) return null;
  return (
    <p className="search-precision__dropped" role="status" data-testid="search-dropped">
      {t('dropped', { words: result.dropped.map((w) => `“${w}”`).join(', ') })}
    </p>
  );
}

/** LooseHits shows the hits that matched loosely, after the exact ones, under their own heading. */
export function LooseHits({ hits }: { hits: SearchHit[] }) {
  const { t } = useTranslation('precision');
  if (hits.length === 0) return null;
  return (
    <section className="search-precision__loose" aria-labelledby="search-loose-title" data-testid="search-loose">
      <h2 id="search-loose-title" className="search-precision__title">
        {t('looseTitle')}
      </h2>
      <p className="search-precision__hint">{t('looseHint')}</p>
      <HitGrid hits={hits} testId="search-loose-results" testIds={searchCardIds} label={t('looseTitle')} />
    </section>
  );
}

/**
 * NoResultsHelp is what a search that found nothing offers besides the
 * tips: the nearest queries that do find products, and the popular
 * products of the group the words seem to be about.
 */
export function NoResultsHelp({ result, state }: { result: SearchResult; state: SearchState }) {
  const { t } = useTranslation('precision');
  const { groupName } = useOcopGroups();
  const alternatives = result.alternatives ?? [];
  const popular = result.popular ?? [];
  return (
    <>
      {alternatives.length > 0 && (
        <div className="search-precision__alternatives" data-testid="search-alternatives">
          <p>{t('alternatives')}</p>
          <ul>
            {alternatives.map((a) => (
              <li key={a.text}>
                <Link to={searchURL({ ...state, q: a.text, page: undefined })} data-testid="search-alternative">
                  {a.text}
                </Link>{' '}
                <span className="search-precision__count">({t('alternativeCount', { count: a.total })})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {popular.length > 0 && (
        <section className="search-precision__popular" aria-labelledby="search-popular-title" data-testid="search-popular">
          <h2 id="search-popular-title" className="search-precision__title">
            {result.popular_group ? t('popularIn', { group: groupName(result.popular_group) }) : t('popular')}
          </h2>
          <HitGrid hits={popular} testId="search-popular-results" testIds={searchCardIds} />
        </section>
      )}
    </>
  );
}
