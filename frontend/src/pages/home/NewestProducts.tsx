import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listProducts } from '../../api/catalog.ts';
import { ProductGrid } from '../../components/product-card/ProductGrid.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';

/** NewestProducts shows the eight newest products, and a link to all of them. */
export function NewestProducts() {
  const { t } = useTranslation();
  const products = useLoad('newest', (signal) => listProducts({ sort: 'newest', limit: 8 }, undefined, signal));
  return (
    <section className="home-section" aria-labelledby="newest-title" aria-busy={products.status === 'loading'}>
      <div className="home-section__header">
        <h2 id="newest-title" className="home-section__title">
          {t('home.newest')}
        </h2>
        <Link to="/san-pham">{t('home.allProducts')}</Link>
      </div>
      {products.status === 'loading' && <LoadingMessage>{t('productList.loading')}</LoadingMessage>}
      {products.status === 'error' && (
        <ErrorMessage title={t('productList.error')} error={products.error} onRetry={products.retry} testId="newest-error" />
      )}
      {products.status === 'ready' && products.data.items.length === 0 && (
        <EmptyMessage testId="newest-empty">{t('home.noProducts')}</EmptyMessage>
      )}
      {products.status === 'ready' && products.data.items.length > 0 && <ProductGrid products={products.data.items} />}
    </section>
  );
}
