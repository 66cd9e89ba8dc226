import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listProducts, type ProductFilter } from '../../api/catalog.ts';
import { ProductGrid } from '../../components/product-card/ProductGrid.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { usePaged } from '../../lib/usePaged.ts';
import { ProductFilters } from './ProductFilters.tsx';
import { SortSelect } from './SortSelect.tsx';
import { filterQuery, readFilter } from './productQuery.ts';
import './product-list.css';

/** ProductListPage is /san-pham: every product, filtered and sorted by what the URL query says. */
export function ProductListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter = readFilter(params);
  const key = filterQuery(filter).toString();
  const products = usePaged(key, (cursor, signal) => listProducts({ ...filter, limit: 24 }, cursor, signal));

  const change = (next: ProductFilter) => setParams(filterQuery(next), { replace: false });
  const filtered = key !== '' && key !== `sort=${filter.sort ?? ''}`;

  return (
    <div className="product-list">
      <div className="product-list__header">
        <h1 className="product-list__title">{t('productList.title')}</h1>
        <SortSelect value={filter.sort ?? 'newest'} onChange={(sort) => change({ ...filter, sort })} />
      </div>
      <div className="product-list__layout">
        <ProductFilters filter={filter} onChange={change} />
        <section className="product-list__results" aria-labelledby="product-results-title" aria-busy={products.status === 'loading'}>
          <h2 id="product-results-title" className="visually-hidden">
            {t('productList.results')}
          </h2>
          {products.status === 'loading' && <LoadingMessage testId="products-loading">{t('productList.loading')}</LoadingMessage>}
          {products.status === 'error' && (
            <ErrorMessage title={t('productList.error')} error={products.error} onRetry={products.retry} testId="products-error" />
          )}
          {products.status === 'ready' && products.items.length === 0 && (
            <EmptyMessage testId="products-empty">
              <p>{filtered ? t('productList.emptyFiltered') : t('productList.empty')}</p>
              {filtered && (
                <button type="button" className="button button--secondary" onClick={() => change({})}>
                  {t('productList.clear')}
                </button>
              )}
            </EmptyMessage>
          )}
          {products.status === 'ready' && products.items.length > 0 && <ProductGrid products={products.items} />}
          <LoadMoreButton list={products} />
        </section>
      </div>
    </div>
  );
}
