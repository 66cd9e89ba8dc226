import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SearchResult } from '../../api/search.ts';
import { HitGrid } from '../../components/product-card/ProductGrid.tsx';
import { ProductGridSkeleton } from '../../components/product-card/ProductGridSkeleton.tsx';
import { EmptyMessage, ErrorMessage } from '../../components/status/StatusMessages.tsx';
import type { Load } from '../../lib/useLoad.ts';

/** NewestProducts shows the eight newest products, as the product list's cards, and a link to all of them. */
export function NewestProducts({ catalog }: { catalog: Load<SearchResult> }) {
  const { t } = useTranslation();
  return (
    <section className="home-section" aria-labelledby="newest-title" aria-busy={catalog.status === 'loading'}>
      <div className="home-section__header">
        <h2 id="newest-title" className="home-section__title">
          {t('home.newest')}
        </h2>
        <Link to="/san-pham" className="home-section__more">
          {t('home.allProducts')}
        </Link>
      </div>
      {catalog.status === 'loading' && <ProductGridSkeleton count={8} />}
      {catalog.status === 'error' && (
        <ErrorMessage title={t('productList.error')} error={catalog.error} onRetry={catalog.retry} testId="newest-error" />
      )}
      {catalog.status === 'ready' && catalog.data.hits.length === 0 && (
        <EmptyMessage testId="newest-empty">{t('home.noProducts')}</EmptyMessage>
      )}
      {catalog.status === 'ready' && catalog.data.hits.length > 0 && <HitGrid hits={catalog.data.hits} />}
    </section>
  );
}
