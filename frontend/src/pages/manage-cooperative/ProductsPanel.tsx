import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { exportCatalogURL, listCooperativeProducts, updateProduct, type Product, type ProductStatus, type ProductSummary } from '../../api/catalog.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { formatVND } from '../../lib/format.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { ProductEditor } from './ProductEditor.tsx';

const statuses: ProductStatus[] = ['draft', 'active', 'archived'];

/** ProductsPanel is the table of the cooperative's products, drafts included, with status, stock and images. */
export function ProductsPanel({ coop }: { coop: string }) {
  const { t } = useTranslation();
  const products = usePaged(`coop-products:${coop}`, (cursor, signal) => listCooperativeProducts(coop, cursor, signal));
  const [open, setOpen] = useState<string | null>(null);

  return (
    <section className="dashboard__panel" aria-labelledby="products-title">
      <div className="dashboard__panel-head">
        <h2 id="products-title" className="dashboard__heading">
          {t('dashboard.products')}
        </h2>
        <a href={exportCatalogURL(coop)} className="button button--secondary button--small" download data-testid="export-link">
          {t('dashboard.export')}
        </a>
      </div>
      {products.status === 'loading' && <LoadingMessage>{t('productList.loading')}</LoadingMessage>}
      {products.status === 'error' && (
        <ErrorMessage title={t('productList.error')} error={products.error} onRetry={products.retry} />
      )}
      {products.status === 'ready' && products.items.length === 0 && (
        <EmptyMessage testId="dashboard-products-empty">{t('dashboard.noProducts')}</EmptyMessage>
      )}
      {products.items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table manage-table" data-testid="dashboard-products">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.productName')}</th>
                <th scope="col" className="data-table__num">
                  {t('product.price')}
                </th>
                <th scope="col">{t('dashboard.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('dashboard.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {products.items.map((p) => (
                <Fragment key={p.id}>
                  <tr data-testid="dashboard-product" data-slug={p.slug}>
                    <th scope="row">
                      {p.status === 'active' ? <Link to={`/san-pham/${p.slug}`}>{p.name}</Link> : p.name}
                    </th>
                    <td className="data-table__num">{p.price_vnd === null ? '—' : formatVND(p.price_vnd)}</td>
                    <td>
                      <StatusSelect
                        product={p}
                        onChanged={(next) => products.update((items) => items.map((i) => (i.id === next.id ? next : i)))}
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-expanded={open === p.id}
                        aria-controls={`editor-${p.id}`}
                        onClick={() => setOpen(open === p.id ? null : p.id)}
                        data-testid="edit-product"
                      >
                        {open === p.id ? t('dashboard.close') : t('productEditor.open')}
                      </button>
                    </td>
                  </tr>
                  {open === p.id && (
                    <tr id={`editor-${p.id}`}>
                      <td colSpan={4} className="manage-table__editor">
                        <ProductEditor
                          productID={p.id}
                          name={p.name}
                          onChanged={(next) => products.update((items) => items.map((i) => (i.id === next.id ? summaryOf(i, next) : i)))}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMoreButton list={products} />
    </section>
  );
}

// summaryOf is a list row brought up to date with the product as saved.
function summaryOf(row: ProductSummary, p: Product): ProductSummary {
  return {
    ...row,
    name: p.name,
    group: p.group,
    status: p.status,
    price_vnd: p.price_vnd,
    certifications: p.certifications,
    season_months: p.season_months,
    in_season: p.in_season,
    thumb_url: p.thumb_url,
    updated_at: p.updated_at,
  };
}

/** StatusSelect changes a product's status (draft, on sale, archived) at once. */
function StatusSelect({ product, onChanged }: { product: ProductSummary; onChanged: (p: ProductSummary) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = `status-${product.id}`;
  async function change(status: ProductStatus) {
    setBusy(true);
    setError('');
    try {
      const updated = await updateProduct(product.id, { status });
      onChanged({ ...product, status: updated.status, price_vnd: updated.price_vnd });
    } catch (err) {
      setError(problemMessage(err, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="status-select">
      <label htmlFor={id} className="visually-hidden">
        {t('dashboard.statusOf', { name: product.name })}
      </label>
      <select
        id={id}
        className="field__input field__input--select status-select__input"
        value={product.status}
        disabled={busy}
        onChange={(e) => void change(e.target.value as ProductStatus)}
        aria-invalid={error ? true : undefined}
        {...(error ? { 'aria-describedby': `${id}-error` } : {})}
      >
        {statuses.map((s) => (
          <option key={s} value={s}>
            {t(`productStatus.${s}`)}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
