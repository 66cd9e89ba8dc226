import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { searchProducts, type SearchResult } from '../../api/search.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { ActiveFilters } from './ActiveFilters.tsx';
import { Pagination } from './Pagination.tsx';
import { SearchEmpty } from './SearchEmpty.tsx';
import { SearchFacets } from './SearchFacets.tsx';
import { SearchHitCard } from './SearchHitCard.tsx';
import { SearchSortSelect } from './SearchSortSelect.tsx';
import { maxPage, readSearch, searchQuery, searchURL, type SearchState } from './searchQuery.ts';
import '../../components/product-card/product-card.css';
import '../product-list/product-list.css';
import './search.css';

const perPage = 24;

/**
 * SearchPage is /tim-kiem: the products matching the words in ?q= (or all
 * of them), narrowed by facets, price, season and stock, in the order chosen, a
 * page at a time. Everything is in the address, so a search can be shared
 * and back/forward step through it.
 */
export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = readSearch(params);
  const key = searchQuery(state).toString();
  const load = useLoad(key, (signal) => searchProducts({ ...state, per_page: perPage }, signal));

  // While the next answer is on its way the previous one stays, dimmed.
  const last = useRef<SearchResult | undefined>(undefined);
  if (load.status === 'ready') last.current = load.data;
  const result = load.status === 'ready' ? load.data : load.status === 'loading' ? last.current : undefined;

  // Cooperative facets count by slug, with the name as label: keep the
  // names seen (and those of the hits), so that a chosen cooperative keeps
  // its name in the active filters.
  const coopNames = useRef(new Map<string, string>()).current;
  for (const v of result?.facets.cooperative ?? []) if (v.label) coopNames.set(v.value, v.label);
  for (const h of result?.hits ?? []) coopNames.set(h.cooperative_slug, h.cooperative_name);

  const change = (next: SearchState) => setParams(searchQuery(next));
  const page = state.page ?? 1;
  const pages = result ? Math.min(maxPage, Math.ceil(result.total / perPage)) : 0;

  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [page]);

  return (
    <div className="search-page">
      <div className="product-list__header search-page__header">
        <div>
          <h1 className="product-list__title" data-testid="search-title">
            {state.q ? t('searchPage.titleFor', { q: state.q }) : t('searchPage.title')}
          </h1>
          <p className="search-page__count" role="status" data-testid="search-count">
            {load.status === 'ready' ? t('searchPage.count', { count: load.data.total }) : ''}
          </p>
        </div>
        <SearchSortSelect
          value={state.sort ?? 'relevance'}
          onChange={(sort) => change({ ...state, sort, page: undefined })}
        />
      </div>
      <ActiveFilters state={state} coopNames={coopNames} />
      <div className="product-list__layout">
        <SearchFacets state={state} result={result} coopNames={coopNames} onChange={change} />
        <section
          className={load.status === 'loading' && result ? 'search-page__results search-page__results--stale' : 'search-page__results'}
          aria-labelledby="search-results-title"
          aria-busy={load.status === 'loading'}
        >
          <h2 id="search-results-title" className="visually-hidden">
            {t('productList.results')}
          </h2>
          {load.status === 'loading' && <LoadingMessage testId="search-loading">{t('searchPage.loading')}</LoadingMessage>}
          {load.status === 'error' && (
            <ErrorMessage title={t('searchPage.error')} error={load.error} onRetry={load.retry} testId="search-error" />
          )}
          {load.status === 'ready' && load.data.total === 0 && <SearchEmpty state={state} />}
          {result && result.hits.length > 0 && load.status !== 'error' && (
            <ul className="product-grid" data-testid="search-results">
              {result.hits.map((hit) => (
                <SearchHitCard key={hit.id} hit={hit} />
              ))}
            </ul>
          )}
          {result && load.status !== 'error' && (
            <Pagination page={page} pages={pages} hrefFor={(n) => searchURL({ ...state, page: n })} />
          )}
        </section>
      </div>
    </div>
  );
}
