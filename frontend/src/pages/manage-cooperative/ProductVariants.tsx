import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addVariant, archiveVariant, setStock, updateVariant, type Product, type Variant } from '../../api/catalog.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { formatVND } from '../../lib/format.ts';
import { checkThenSubmit, readVariant, variantValues, type VariantValues } from './productInput.ts';
import { VariantFields } from './VariantFields.tsx';

type Notice = { tone: 'error' | 'success'; text: string } | null;

/**
 * ProductVariants are a product's packagings on sale, each with its stock,
 * its price and wholesale tiers to change and a way to stop selling it,
 * and a form to add another.
 */
export function ProductVariants({ product, onSaved }: { product: Product; onSaved: (p: Product) => void }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const active = product.variants.filter((v) => v.status === 'active');
  const archived = product.variants.filter((v) => v.status === 'archived');
  return (
    <section className="product-variants" aria-labelledby={`variants-${product.id}`}>
      <h3 id={`variants-${product.id}`} className="dashboard__subheading">
        {t('productEditor.variants')}
      </h3>
      {active.length === 0 && <p className="dashboard__muted">{t('productEditor.noActiveVariants')}</p>}
      <ul className="stock-list">
        {active.map((v) => (
          <VariantCard key={v.id} productID={product.id} variant={v} last={active.length === 1} onSaved={onSaved} />
        ))}
      </ul>
      {archived.length > 0 && (
        <p className="dashboard__muted" data-testid="archived-variants">
          {t('productEditor.archivedVariants', { list: archived.map((v) => `${v.unit} (${v.sku})`).join(', ') })}
        </p>
      )}
      {notice && <FormMessage tone={notice.tone}>{notice.text}</FormMessage>}
      {adding ? (
        <NewVariantForm
          productID={product.id}
          onCancel={() => setAdding(false)}
          onAdded={(p, unit) => {
            onSaved(p);
            setAdding(false);
            setNotice({ tone: 'success', text: t('productEditor.variantAdded', { unit }) });
          }}
        />
      ) : (
        <button
          type="button"
          className="button button--secondary button--small product-variants__add"
          onClick={() => {
            setNotice(null);
            setAdding(true);
          }}
          data-testid="variant-add-open"
        >
          {t('productEditor.addVariant')}
        </button>
      )}
    </section>
  );
}

/** VariantCard is one packaging: its stock, its wholesale prices, and buttons to change it or stop selling it. */
function VariantCard({ productID, variant, last, onSaved }: { productID: string; variant: Variant; last: boolean; onSaved: (p: Product) => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  async function archive() {
    setBusy(true);
    setNotice(null);
    try {
      onSaved(await archiveVariant(productID, variant.id));
    } catch (err) {
      setNotice({ tone: 'error', text: problemMessage(err, t) });
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="variant-card" data-testid="variant-card" data-sku={variant.sku}>
      <StockRow productID={productID} variant={variant} onSaved={onSaved} />
      {variant.price_tiers.length > 0 && (
        <p className="variant-card__tiers" data-testid="variant-tiers">
          {t('productEditor.tiersSummary', {
            list: variant.price_tiers
              .map((tier) => t('productEditor.tierSummary', { qty: tier.min_qty, unit: variant.unit, price: formatVND(tier.unit_price_vnd) }))
              .join('; '),
          })}
        </p>
      )}
      {notice && <FormMessage tone={notice.tone}>{notice.text}</FormMessage>}
      {editing ? (
        <VariantForm
          productID={productID}
          variant={variant}
          onCancel={() => setEditing(false)}
          onSaved={(p) => {
            onSaved(p);
            setEditing(false);
            setNotice({ tone: 'success', text: t('productEditor.variantSaved') });
          }}
        />
      ) : confirming ? (
        <div className="variant-card__confirm" role="group" aria-labelledby={`archive-q-${variant.id}`}>
          <p id={`archive-q-${variant.id}`}>
            {last ? t('productEditor.archiveLastQuestion', { unit: variant.unit }) : t('productEditor.archiveQuestion', { unit: variant.unit })}
          </p>
          <div className="variant-card__buttons">
            <button type="button" className="button button--danger button--small" disabled={busy} aria-busy={busy} onClick={() => void archive()} data-testid="variant-archive-confirm">
              {t('productEditor.archiveConfirm')}
            </button>
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => setConfirming(false)}>
              {t('productEditor.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="variant-card__buttons">
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => {
              setNotice(null);
              setEditing(true);
            }}
            data-testid="variant-edit"
          >
            {t('productEditor.editVariant', { unit: variant.unit })}
          </button>
          <button
            type="button"
            className="button button--danger button--small"
            onClick={() => {
              setNotice(null);
              setConfirming(true);
            }}
            data-testid="variant-archive"
          >
            {t('productEditor.archiveVariant', { unit: variant.unit })}
          </button>
        </div>
      )}
    </li>
  );
}

/** StockRow sets one packaging's stock as counted. */
function StockRow({ productID, variant, onSaved }: { productID: string; variant: Variant; onSaved: (p: Product) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(String(variant.stock));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Notice>(null);
  const id = `stock-${variant.id}`;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const stock = Number(value);
    if (!Number.isInteger(stock) || stock < 0) {
      setMessage({ tone: 'error', text: t('dashboard.stockInvalid') });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      onSaved(await setStock(productID, variant.id, stock));
      setMessage({ tone: 'success', text: t('dashboard.stockSaved') });
    } catch (err) {
      setMessage({ tone: 'error', text: problemMessage(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stock-row">
      <form className="stock-row__form" onSubmit={save} noValidate>
        <label htmlFor={id} className="stock-row__label">
          {variant.unit} · {formatVND(variant.price_vnd)} <span className="stock-row__sku">({variant.sku})</span>
          <span className="stock-row__what"> · {t('dashboard.stock')}</span>
        </label>
        <input
          id={id}
          className="field__input stock-row__input"
          type="number"
          inputMode="numeric"
          min={0}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={message?.tone === 'error' ? true : undefined}
          data-testid="stock-input"
        />
        <button type="submit" className="button button--primary button--small" disabled={busy} data-testid="stock-save">
          {busy ? t('dashboard.saving') : t('dashboard.saveStock')}
        </button>
      </form>
      {message && <FormMessage tone={message.tone}>{message.text}</FormMessage>}
    </div>
  );
}

/** VariantForm changes a packaging's unit, price and wholesale tiers; its SKU stays. */
function VariantForm({ productID, variant, onSaved, onCancel }: { productID: string; variant: Variant; onSaved: (p: Product) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const [values, setValues] = useState<VariantValues>(() => variantValues(variant));
  const read = readVariant(values, t, tm);
  const submit = useSubmit(async () => {
    onSaved(await updateVariant(productID, variant.id, read.body));
  }, read.fieldMap);
  return (
    <form
      className="form coop-form variant-form"
      noValidate
      ref={submit.formRef}
      onSubmit={(event) => checkThenSubmit(event, read.errors, submit, t('productEditor.fix'))}
      aria-label={t('productEditor.editVariant', { unit: variant.unit })}
      data-testid="variant-form"
    >
      <p className="field__hint">{t('productEditor.skuFixed', { sku: variant.sku })}</p>
      <VariantFields idPrefix={`variant-${variant.id}`} values={values} onChange={setValues} errors={submit.errors.fields} />
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      <div className="variant-card__buttons">
        <button type="submit" className="button button--primary button--small" disabled={submit.busy} aria-busy={submit.busy} data-testid="variant-save">
          {submit.busy ? t('dashboard.saving') : t('productEditor.saveVariant')}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={onCancel}>
          {t('productEditor.cancel')}
        </button>
      </div>
    </form>
  );
}

/** NewVariantForm adds a packaging to the product. */
function NewVariantForm({ productID, onAdded, onCancel }: { productID: string; onAdded: (p: Product, unit: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const [values, setValues] = useState<VariantValues>(() => variantValues());
  const read = readVariant(values, t, tm);
  const submit = useSubmit(async () => {
    const stock = read.stock === undefined ? {} : { stock: read.stock };
    onAdded(await addVariant(productID, { ...read.body, ...stock, sku: values.sku.trim() }), read.body.unit);
  }, read.fieldMap);
  return (
    <form
      className="form coop-form variant-form"
      noValidate
      ref={submit.formRef}
      onSubmit={(event) => checkThenSubmit(event, read.errors, submit, t('productEditor.fix'))}
      aria-labelledby={`new-variant-${productID}`}
      data-testid="new-variant-form"
    >
      <h4 id={`new-variant-${productID}`} className="variant-form__title">
        {t('productEditor.addVariant')}
      </h4>
      <VariantFields idPrefix={`new-variant-${productID}`} values={values} onChange={setValues} errors={submit.errors.fields} isNew />
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      <div className="variant-card__buttons">
        <button type="submit" className="button button--primary button--small" disabled={submit.busy} aria-busy={submit.busy} data-testid="variant-add">
          {submit.busy ? t('dashboard.saving') : t('productEditor.addVariantSubmit')}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={onCancel}>
          {t('productEditor.cancel')}
        </button>
      </div>
    </form>
  );
}
