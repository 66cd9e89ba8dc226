import { useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { productSorts } from '../../api/catalog.ts';
import { HitGrid } from '../../components/product-card/ProductGrid.tsx';
import { ProductGridSkeleton } from '../../components/product-card/ProductGridSkeleton.tsx';
import { hasFilters, withoutFilters } from '../../components/product-filters/filterState.ts';
import { ProductBrowser } from '../../components/product-filters/ProductBrowser.tsx';
import { SortSelect } from '../../components/product-filters/SortSelect.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { productListQuery, productListURL, readProductList, type ProductListState } from './productQuery.ts';
import { useSearchPages } from './useSearchPages.ts';

const perPage = 24;

/**
 * ProductListPage is /san-pham: every product, filtered and sorted by what
 * the URL query says, with the search page's filters and cards (it asks the
 * search API, without words), 24 more at a time.
 */
export function ProductListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = readProductList(params);
  const key = productListQuery(state).toString();
  const list = useSearchPages(key, { ...state, sort: state.sort ?? 'newest', per_page: perPage });

  // Cooperatives are counted by slug: keep the names seen for the chips.
  const coopNames = useRef(new Map<string, string>()).current;
  for (const v of list.first?.facets.cooperative ?? []) if (v.label) coopNames.set(v.value, v.label);
  for (const h of list.hits) coopNames.set(h.cooperative_slug, h.cooperative_name);

  const change = (next: ProductListState) => setParams(productListQuery(next));
  const filtered = hasFilters(state);
  const stale = list.status === 'loading' && list.first !== undefined;

  return (
    <ProductBrowser
      title={t('productList.title')}
      titleTestId="products-title"
      countText={list.status === 'ready' && list.first ? t('searchPage.count', { count: list.first.total }) : ''}
      countTestId="products-count"
      sort={
        <SortSelect
          id="product-sort"
          value={state.sort ?? 'newest'}
          sorts={productSorts}
          labelFor={(s) => t(`productList.sort.${s}`)}
          onChange={(sort) => change({ ...state, sort })}
        />
      }
      state={state}
      q={undefined}
      result={list.first}
      coopNames={coopNames}
      hrefFor={productListURL}
      onChange={change}
      filtersTestId="product-filters"
    >
      <section
        className={stale ? 'browse__results browse__results--stale' : 'browse__results'}
        aria-labelledby="product-results-title"
        aria-busy={list.status === 'loading'}
      >
        <h2 id="product-results-title" className="visually-hidden">
          {t('productList.results')}
        </h2>
        {list.status === 'loading' && !stale && (
          <>
            <LoadingMessage testId="products-loading">{t('productList.loading')}</LoadingMessage>
            <ProductGridSkeleton count={8} />
          </>
        )}
        {list.status === 'error' && (
          <ErrorMessage title={t('productList.error')} error={list.error} onRetry={list.retry} testId="products-error" />
        )}
        {list.status === 'ready' && list.hits.length === 0 && (
          <EmptyMessage testId="products-empty">
            <p>{filtered ? t('productList.emptyFiltered') : t('productList.empty')}</p>
            {filtered && (
              <button type="button" className="button button--secondary" onClick={() => change(withoutFilters(state))}>
                {t('productList.clear')}
              </button>
            )}
          </EmptyMessage>
        )}
        {list.status !== 'error' && list.hits.length > 0 && <HitGrid hits={list.hits} />}
        <LoadMoreButton list={list} />
      </section>
    </ProductBrowser>
  );
}
