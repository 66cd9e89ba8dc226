import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { searchProducts, searchSorts, type SearchResult } from '../../api/search.ts';
import { HitGrid } from '../../components/product-card/ProductGrid.tsx';
import { ProductGridSkeleton } from '../../components/product-card/ProductGridSkeleton.tsx';
import { searchCardIds } from '../../components/product-card/ProductCard.tsx';
import { ProductBrowser } from '../../components/product-filters/ProductBrowser.tsx';
import { SortSelect } from '../../components/product-filters/SortSelect.tsx';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Pagination } from './Pagination.tsx';
import { SearchEmpty } from './SearchEmpty.tsx';
import { DroppedWords, isLoose, LooseHits, NoResultsHelp } from './SearchPrecision.tsx';
import { AskQuoteForSearch } from '../sourcing/AskQuoteLink.tsx';
import { maxPage, readSearch, searchQuery, searchURL, type SearchState } from './searchQuery.ts';
import './search.css';

const perPage = 24;

/**
 * SearchPage is /tim-kiem: the products matching the words in ?q= (or all
 * of them), narrowed by the filters the product list shares, in the order
 * chosen, a page at a time. Everything is in the address, so a search can
 * be shared and back/forward step through it.
 */
export function SearchPage() {
  const { t } = useTranslation();
  const { t: tp } = useTranslation('precision');
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

  // A new filter or order starts again from the first page.
  const hrefFor = (next: SearchState) => searchURL({ ...next, page: undefined });
  const change = (next: SearchState) => setParams(searchQuery({ ...next, page: undefined }));
  const page = state.page ?? 1;
  // The exact hits come first and the loose ones after, counted apart.
  const found = result ? result.total + result.loose : 0;
  const pages = result ? Math.min(maxPage, Math.ceil(found / perPage)) : 0;
  const exactHits = result?.hits.filter((h) => !isLoose(h)) ?? [];
  const looseHits = result?.hits.filter(isLoose) ?? [];
  const countText =
    load.status !== 'ready'
      ? ''
      : load.data.loose > 0
        ? `${t('searchPage.count', { count: load.data.total })} ${tp('loose', { count: load.data.loose })}`
        : t('searchPage.count', { count: load.data.total });

  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [page]);

  return (
    <ProductBrowser
      title={state.q ? t('searchPage.titleFor', { q: state.q }) : t('searchPage.title')}
      titleTestId="search-title"
      countText={countText}
      countTestId="search-count"
      sort={
        <SortSelect
          id="search-sort"
          value={state.sort ?? 'relevance'}
          sorts={searchSorts}
          labelFor={(s) => t(`searchPage.sort.${s}`)}
          onChange={(sort) => change({ ...state, sort })}
        />
      }
      state={state}
      q={state.q}
      result={result}
      coopNames={coopNames}
      hrefFor={hrefFor}
      onChange={change}
      filtersTestId="search-facets"
    >
      <section
        className={load.status === 'loading' && result ? 'browse__results browse__results--stale' : 'browse__results'}
        aria-labelledby="search-results-title"
        aria-busy={load.status === 'loading'}
      >
        <h2 id="search-results-title" className="visually-hidden">
          {t('productList.results')}
        </h2>
        {load.status === 'loading' && <LoadingMessage testId="search-loading">{t('searchPage.loading')}</LoadingMessage>}
        {load.status === 'loading' && !result && <ProductGridSkeleton count={8} />}
        {load.status === 'error' && <ErrorMessage title={t('searchPage.error')} error={load.error} onRetry={load.retry} testId="search-error" />}
        {result && load.status !== 'error' && <DroppedWords result={result} />}
        {load.status === 'ready' && found === 0 && (
          <>
            <SearchEmpty state={state} />
            <NoResultsHelp result={load.data} state={state} />
          </>
        )}
        {result && exactHits.length > 0 && load.status !== 'error' && (
          <HitGrid hits={exactHits} testId="search-results" testIds={searchCardIds} />
        )}
        {result && load.status !== 'error' && <LooseHits hits={looseHits} />}
        {result && load.status !== 'error' && <Pagination page={page} pages={pages} hrefFor={(n) => searchURL({ ...state, page: n })} />}
        {load.status === 'ready' && <AskQuoteForSearch q={state.q ?? ''} />}
      </section>
    </ProductBrowser>
  );
}
