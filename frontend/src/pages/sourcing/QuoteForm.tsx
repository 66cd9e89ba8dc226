import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getProduct, listCooperativeProducts } from '../../api/catalog.ts';
import { submitQuote, type SourcingRequest } from '../../api/sourcing.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { formatVND, isoDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';

type Field = 'variant_id' | 'unit_price_vnd' | 'quantity' | 'delivery_date' | 'valid_until' | 'note' | 'deposit_percent';
const fieldMap: Record<string, Field> = {
  variant_id: 'variant_id',
  unit_price_vnd: 'unit_price_vnd',
  quantity: 'quantity',
  delivery_date: 'delivery_date',
  valid_until: 'valid_until',
  note: 'note',
  deposit_percent: 'deposit_percent',
};

function daysFromNow(n: number): string {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return isoDay(d);
}

/**
 * depositPercent reads the deposit field: empty is no deposit (0); what is
 * not a whole number is sent as -1, so that the server's field error
 * explains the range (10–90) as it does for a number out of it.
 */
function depositPercent(text: string): number {
  const s = text.trim().replace(/%$/, '').trim();
  if (s === '') return 0;
  return /^\d+$/.test(s) ? Number(s) : -1;
}

/**
 * QuoteForm is a cooperative's quote on a request: one of its products (the
 * order line it becomes), the quantity and unit price in that product's unit,
 * the delivery date and how long the price holds, and the deposit the
 * cooperative accepts instead of full payment before delivery (optional).
 */
export function QuoteForm({ request, coop, onSent }: { request: SourcingRequest; coop: string; onSent: () => void }) {
  const { t } = useTranslation('sourcing');
  const { t: td } = useTranslation('deposit');
  const products = useLoad(`quote-products:${coop}`, (signal) => listCooperativeProducts(coop, undefined, signal));
  const [product, setProduct] = useState('');
  const detail = useLoad(`quote-product:${product}`, (signal) =>
    product ? getProduct(product, signal) : Promise.resolve(undefined),
  );
  const [variant, setVariant] = useState('');
  const [price, setPrice] = useState('');
  const [quantity, setQuantity] = useState('');
  const [delivery, setDelivery] = useState(request.wanted_from > isoDay(new Date()) ? request.wanted_from : daysFromNow(7));
  const [valid, setValid] = useState(daysFromNow(14));
  const [note, setNote] = useState('');
  const [deposit, setDeposit] = useState('');
  const [sent, setSent] = useState(false);
  const variants = detail.status === 'ready' && detail.data ? detail.data.variants.filter((v) => v.status === 'active') : [];
  const chosen = variants.find((v) => v.id === variant) ?? variants[0];
  const submit = useSubmit(async () => {
    setSent(false);
    await submitQuote(request.id, {
      cooperative: coop,
      variant_id: chosen?.id ?? '',
      unit_price_vnd: Number(price.replace(/\D/g, '')),
      quantity: Number(quantity.replace(/\D/g, '')),
      delivery_date: delivery,
      valid_until: valid,
      note,
      deposit_percent: depositPercent(deposit),
    });
    setSent(true);
    onSent();
  }, fieldMap);
  const err = submit.errors.fields;
  const active = products.status === 'ready' ? products.data.items.filter((p) => p.status === 'active') : [];
  return (
    <form ref={submit.formRef} onSubmit={submit.onSubmit} className="sourcing-form" noValidate data-testid="quote-form">
      {sent && <FormMessage tone="success">{t('quote.sent')}</FormMessage>}
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      <SelectField
        id={`q-product-${coop}-${request.id}`}
        name="product"
        label={t('quote.product')}
        value={product}
        onChange={(v) => {
          setProduct(v);
          setVariant('');
        }}
        placeholder={t('quote.chooseProduct')}
        options={active.map((p) => ({ value: p.slug, label: p.name }))}
        error={err.variant_id}
      />
      {variants.length > 1 && (
        <SelectField
          id={`q-variant-${coop}-${request.id}`}
          name="variant"
          label={t('quote.variant')}
          value={chosen?.id ?? ''}
          onChange={setVariant}
          options={variants.map((v) => ({ value: v.id, label: `${v.sku} · ${v.unit} · ${formatVND(v.price_vnd)}` }))}
        />
      )}
      {chosen && (
        <p className="sourcing__hint" data-testid="quote-variant">
          {t('quote.listed', { sku: chosen.sku, unit: chosen.unit, price: formatVND(chosen.price_vnd), stock: chosen.stock })}
        </p>
      )}
      <div className="sourcing-form__row">
        <TextField
          id={`q-quantity-${coop}-${request.id}`}
          name="quantity"
          label={t('quote.quantity', { unit: chosen?.unit ?? request.unit })}
          value={quantity}
          onChange={setQuantity}
          inputMode="numeric"
          error={err.quantity}
          required
        />
        <TextField
          id={`q-price-${coop}-${request.id}`}
          name="unit_price_vnd"
          label={t('quote.price', { unit: chosen?.unit ?? request.unit })}
          value={price}
          onChange={setPrice}
          inputMode="numeric"
          error={err.unit_price_vnd}
          required
        />
      </div>
      <div className="sourcing-form__row">
        <TextField
          id={`q-delivery-${coop}-${request.id}`}
          name="delivery_date"
          type="date"
          label={t('quote.deliveryDate')}
          value={delivery}
          onChange={setDelivery}
          error={err.delivery_date}
          required
        />
        <TextField
          id={`q-valid-${coop}-${request.id}`}
          name="valid_until"
          type="date"
          label={t('quote.validDate')}
          value={valid}
          onChange={setValid}
          error={err.valid_until}
          required
        />
      </div>
      <TextField
        id={`q-deposit-${coop}-${request.id}`}
        name="deposit_percent"
        label={td('quote.percent')}
        value={deposit}
        onChange={setDeposit}
        inputMode="numeric"
        hint={td('quote.percentHint')}
        error={err.deposit_percent}
      />
      <TextAreaField id={`q-note-${coop}-${request.id}`} name="note" label={t('field.notes')} value={note} onChange={setNote} error={err.note} rows={2} />
      <SubmitButton busy={submit.busy} busyLabel={t('form.sending')}>
        {t('quote.submit')}
      </SubmitButton>
    </form>
  );
}
