import { useEffect } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { getProduct } from '../../api/catalog.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { useDocumentTitle } from '../../lib/useDocumentTitle.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { formatVND } from '../../lib/format.ts';
import { productListURL } from '../product-list/productQuery.ts';
import { ImageGallery } from './ImageGallery.tsx';
import { OcopBadge } from './OcopBadge.tsx';
import { VariantTable } from './VariantTable.tsx';
import { TierPrices } from './TierPrices.tsx';
import { CooperativeCard } from './CooperativeCard.tsx';
import { BuyBox } from './BuyBox.tsx';
import { firstPackaging, PackagingPicker } from './PackagingPicker.tsx';
import { AskQuoteLink } from '../sourcing/AskQuoteLink.tsx';
import './product.css';

/** packagingParam names the chosen packaging (its SKU) in the page's address, so that a shared link opens it. */
const packagingParam = 'goi';

/**
 * ProductPage is /san-pham/:slug: pictures, the packagings (the price,
 * unit, stock, wholesale tiers and buy box follow the chosen one), OCOP
 * rating, description, the cooperative. The address of a product merged
 * into another leads to the other's page.
 */
export function ProductPage() {
  const { t } = useTranslation();
  const { t: tp } = useTranslation('packaging');
  const { slug = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const product = useLoad(slug, (signal) => getProduct(slug, signal));
  // The API answers a merged product's old slug (and an ID) with the
  // product under its own: the address follows.
  const canonical = product.status === 'ready' && product.data.slug !== slug ? product.data.slug : '';
  useEffect(() => {
    if (canonical) void navigate(`/san-pham/${encodeURIComponent(canonical)}${window.location.search}`, { replace: true });
  }, [canonical, navigate]);
  const { provinceName } = useProvinceList();
  const { groupName } = useOcopGroups();
  const missing = product.status === 'error' && product.error instanceof ApiError && product.error.status === 404;
  useDocumentTitle(product.status === 'ready' ? product.data.name : missing ? t('product.missing') : undefined);

  if (product.status === 'loading') {
    return (
      <div className="product-page">
        <LoadingMessage testId="product-loading">{t('product.loading')}</LoadingMessage>
      </div>
    );
  }
  if (product.status === 'error') {
    return (
      <div className="product-page">
        {missing ? (
          <div className="status-message" data-testid="product-missing">
            <h1 className="product-page__title">{t('product.missing')}</h1>
            <Link to="/san-pham">{t('product.backToList')}</Link>
          </div>
        ) : (
          <ErrorMessage title={t('product.error')} error={product.error} onRetry={product.retry} testId="product-error" />
        )}
      </div>
    );
  }

  const p = product.data;
  const activeVariants = p.variants.filter((v) => v.status === 'active');
  const chosen = firstPackaging(activeVariants, params.get(packagingParam));
  const choose = (sku: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(packagingParam, sku);
        return next;
      },
      { replace: true },
    );
  return (
    <article className="product-page" aria-labelledby="product-title">
      <nav className="breadcrumb" aria-label={t('product.breadcrumb')}>
        <Link to="/san-pham">{t('nav.products')}</Link>
        <span aria-hidden="true"> › </span>
        <Link to={productListURL({ group: p.group })}>{groupName(p.group)}</Link>
      </nav>
      <div className="product-page__top">
        <ImageGallery images={p.images} name={p.name} />
        <div className="product-page__summary">
          <h1 id="product-title" className="product-page__title">
            {p.name}
          </h1>
          <p className="product-page__origin">
            <Link to={`/hop-tac-xa/${p.cooperative.slug}`}>{p.cooperative.name}</Link>
            {' · '}
            <Link to={productListURL({ province: p.province })}>{provinceName(p.province)}</Link>
          </p>
          {chosen && (
            <>
              <PackagingPicker variants={activeVariants} chosen={chosen} onChoose={(v) => choose(v.sku)} />
              <div className="product-page__buy-facts">
                <p className="product-page__price" data-testid="product-price">
                  {tp('pricePerUnit', { price: formatVND(chosen.price_vnd), unit: chosen.unit })}
                </p>
                <p className="product-page__unit" data-testid="product-unit">
                  {tp('unit', { unit: chosen.unit })}
                </p>
                <p
                  className={chosen.stock > 0 ? 'product-page__stock' : 'product-page__stock product-page__stock--out'}
                  data-testid="product-stock"
                >
                  {chosen.stock > 0 ? tp('inStock', { count: chosen.stock, unit: chosen.unit }) : tp('outOfStock')}
                </p>
              </div>
              <BuyBox key={chosen.id} productName={p.name} variant={chosen} />
              <AskQuoteLink text={p.name} cooperative={p.cooperative.slug} unit={chosen.unit} />
            </>
          )}
          <OcopBadge ocop={p.ocop} />
          {p.certifications.length > 0 && (
            <div className="product-page__certs">
              <h2 className="product-page__label">{t('product.certifications')}</h2>
              <ul className="chips" data-testid="product-certifications">
                {p.certifications.map((c) => (
                  <li key={c} className="chip">
                    {c}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <p className="product-page__season">
            {p.season_months.length === 0
              ? t('product.allYear')
              : t('product.seasonMonths', { months: p.season_months.join(', ') })}
            {p.in_season && p.season_months.length > 0 && <span className="chip chip--good">{t('product.inSeason')}</span>}
          </p>
        </div>
      </div>

      <section className="product-page__section" aria-labelledby="variants-title">
        <h2 id="variants-title" className="product-page__heading">
          {t('product.variants')}
        </h2>
        <VariantTable variants={activeVariants} chosenID={chosen?.id} />
      </section>

      <TierPrices variants={chosen ? [chosen] : []} />

      {p.description_html.trim() !== '' && (
        <section className="product-page__section" aria-labelledby="description-title">
          <h2 id="description-title" className="product-page__heading">
            {t('product.description')}
          </h2>
          {/* description_html is rendered from Markdown and sanitised by the server. */}
          <div className="product-page__description" dangerouslySetInnerHTML={{ __html: p.description_html }} />
        </section>
      )}

      <CooperativeCard cooperative={p.cooperative} provinceName={provinceName(p.province)} />
    </article>
  );
}
