import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { listProducts } from '../../api/catalog.ts';
import { getStorefront } from '../../api/cooperatives.ts';
import { ProductGrid } from '../../components/product-card/ProductGrid.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { useDocumentTitle } from '../../lib/useDocumentTitle.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { CooperativeProfile } from './CooperativeProfile.tsx';
import './storefront.css';

/** StorefrontPage is /hop-tac-xa/:slug: a verified cooperative's profile and its products. */
export function StorefrontPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const coop = useLoad(slug, (signal) => getStorefront(slug, signal));
  const products = usePaged(slug, (cursor, signal) => listProducts({ cooperative: slug, limit: 24 }, cursor, signal));
  const { provinceName } = useProvinceList();
  const missing = coop.status === 'error' && coop.error instanceof ApiError && coop.error.status === 404;
  useDocumentTitle(coop.status === 'ready' ? coop.data.name : missing ? t('storefront.missing') : undefined);

  if (coop.status === 'loading') {
    return (
      <div className="storefront">
        <LoadingMessage>{t('storefront.loading')}</LoadingMessage>
      </div>
    );
  }
  if (coop.status === 'error') {
    return (
      <div className="storefront">
        {missing ? (
          <div className="status-message" data-testid="storefront-missing">
            <h1>{t('storefront.missing')}</h1>
            <Link to="/hop-tac-xa">{t('storefront.backToDirectory')}</Link>
          </div>
        ) : (
          <ErrorMessage title={t('storefront.error')} error={coop.error} onRetry={coop.retry} />
        )}
      </div>
    );
  }

  return (
    <div className="storefront">
      <CooperativeProfile coop={coop.data} provinceName={provinceName(coop.data.province)} />
      <section className="storefront__products" aria-labelledby="storefront-products-title">
        <h2 id="storefront-products-title" className="storefront__heading">
          {t('storefront.products')}
        </h2>
        {products.status === 'loading' && <LoadingMessage>{t('productList.loading')}</LoadingMessage>}
        {products.status === 'error' && (
          <ErrorMessage title={t('productList.error')} error={products.error} onRetry={products.retry} />
        )}
        {products.status === 'ready' && products.items.length === 0 && (
          <EmptyMessage testId="storefront-products-empty">{t('storefront.noProducts')}</EmptyMessage>
        )}
        {products.items.length > 0 && <ProductGrid products={products.items} />}
        <LoadMoreButton list={products} />
      </section>
    </div>
  );
}
