import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listCooperativeProducts } from '../../api/catalog.ts';
import { createBatch, uploadTracePhoto, type NewBatch, type TracePhoto } from '../../api/trace.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { isoDay, parseWhole } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { batchPath } from './paths.ts';

type Field =
  | 'product'
  | 'quantity'
  | 'unit'
  | 'produced'
  | 'expires'
  | 'gtin'
  | 'area'
  | 'commune'
  | 'province'
  | 'lat'
  | 'lng'
  | 'inputName'
  | 'inputAmount'
  | 'inputDate'
  | 'inputCost'
  | 'certName'
  | 'certNumber'
  | 'certIssuer'
  | 'certUntil';

const fieldMap: Record<string, Field> = {
  product_id: 'product',
  quantity: 'quantity',
  unit: 'unit',
  produced_on: 'produced',
  expires_on: 'expires',
  gtin: 'gtin',
  'area.name': 'area',
  'area.commune': 'commune',
  'area.province': 'province',
  'area.lat': 'lat',
  'area.lng': 'lng',
  'inputs[0].name': 'inputName',
  'inputs[0].amount': 'inputAmount',
  'inputs[0].applied_on': 'inputDate',
  'inputs[0].cost_vnd': 'inputCost',
  'certifications[0].name': 'certName',
  'certifications[0].number': 'certNumber',
  'certifications[0].issuer': 'certIssuer',
  'certifications[0].valid_until': 'certUntil',
};

const inputKinds = ['fertiliser', 'feed', 'treatment', 'other'] as const;
/** maxInputs is the server's bound on a batch's inputs. */
const maxInputs = 30;

interface InputRow {
  kind: (typeof inputKinds)[number];
  name: string;
  amount: string;
  date: string;
  cost: string;
}

const blankInput: InputRow = { kind: 'fertiliser', name: '', amount: '', date: '', cost: '' };

/** coordinate reads a latitude or longitude typed with a dot or a comma; "" is none. */
export function coordinate(text: string): number | null {
  const s = text.trim().replace(',', '.');
  return s === '' ? null : Number(s);
}

/**
 * NewBatchForm starts a batch: the product, how much and when, the growing
 * area or workshop, and optionally the inputs used and a certification. It
 * opens behind one large button so that the list stays first on a phone.
 */
export function NewBatchForm({ coop, province }: { coop: string; province: string }) {
  const { t } = useTranslation('trace');
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const products = useLoad(open ? `trace-products:${coop}` : '', (signal) =>
    open ? listCooperativeProducts(coop, undefined, signal) : Promise.resolve({ items: [], next_cursor: '' }),
  );
  const { provinces } = useProvinceList();
  const [f, setF] = useState({
    product: '',
    quantity: '',
    unit: 'kg',
    produced: isoDay(new Date()),
    expires: '',
    gtin: '',
    area: '',
    commune: '',
    province,
    lat: '',
    lng: '',
    certName: '',
    certNumber: '',
    certIssuer: '',
    certUntil: '',
  });
  const set = (k: keyof typeof f) => (v: string) => setF((old) => ({ ...old, [k]: v }));
  // The inputs used, one row each; rows left without a name are not sent.
  const [rows, setRows] = useState([blankInput]);
  const setRow = (i: number, k: keyof InputRow) => (v: string) =>
    setRows((old) => old.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const { t: tc } = useTranslation();
  const [certDoc, setCertDoc] = useState<TracePhoto | null>(null);
  const [certDocState, setCertDocState] = useState<{ busy: boolean; error: string }>({ busy: false, error: '' });

  async function uploadCertDoc(file: File | undefined) {
    if (!file) return;
    setCertDocState({ busy: true, error: '' });
    try {
      setCertDoc(await uploadTracePhoto(coop, file));
      setCertDocState({ busy: false, error: '' });
    } catch (err) {
      setCertDocState({ busy: false, error: problemMessage(err, tc) });
    }
  }

  const submit = useSubmit(async () => {
    const input: NewBatch = {
      product_id: f.product,
      gtin: f.gtin.trim(),
      quantity: parseWhole(f.quantity) ?? 0,
      unit: f.unit,
      produced_on: f.produced,
      expires_on: f.expires,
      area: { name: f.area, commune: f.commune, province: f.province, lat: coordinate(f.lat), lng: coordinate(f.lng) },
      inputs: rows
        .filter((r) => r.name.trim())
        .map((r) => {
          const cost = parseWhole(r.cost);
          return {
            kind: r.kind,
            name: r.name,
            amount: r.amount,
            applied_on: r.date,
            cost_vnd: cost === undefined ? null : cost,
          };
        }),
      certifications: f.certName.trim()
        ? [{ name: f.certName, number: f.certNumber, issuer: f.certIssuer, valid_until: f.certUntil, document: certDoc?.key ?? '' }]
        : [],
    };
    const b = await createBatch(coop, input);
    await navigate(batchPath(coop, b.id));
  }, fieldMap);
  const err = submit.errors.fields;

  if (!open) {
    return (
      <button type="button" className="button button--primary batch-big-button" onClick={() => setOpen(true)} data-testid="new-batch">
        {t('form.open')}
      </button>
    );
  }
  const productOptions =
    products.status === 'ready'
      ? products.data.items.filter((p) => p.status !== 'archived').map((p) => ({ value: p.id, label: p.name }))
      : [];
  return (
    <form ref={submit.formRef} onSubmit={submit.onSubmit} className="batch-form" noValidate data-testid="new-batch-form">
      <h3 className="batch-form__title">{t('form.title')}</h3>
      <SelectField
        id="batch-product"
        name="product"
        label={t('form.product')}
        value={f.product}
        options={productOptions}
        onChange={set('product')}
        error={err.product}
        placeholder={products.status === 'loading' ? t('form.productsLoading') : t('form.choose')}
        required
      />
      <div className="batch-form__row">
        <TextField id="batch-quantity" name="quantity" label={t('form.quantity')} value={f.quantity} onChange={set('quantity')} inputMode="numeric" error={err.quantity} required />
        <TextField id="batch-unit" name="unit" label={t('form.unit')} value={f.unit} onChange={set('unit')} error={err.unit} required />
      </div>
      <div className="batch-form__row">
        <TextField id="batch-produced" name="produced" type="date" label={t('form.produced')} value={f.produced} onChange={set('produced')} error={err.produced} required />
        <TextField id="batch-expires" name="expires" type="date" label={t('form.expires')} value={f.expires} onChange={set('expires')} error={err.expires} />
      </div>
      <TextField id="batch-gtin" name="gtin" label={t('form.gtin')} hint={t('form.gtinHint')} value={f.gtin} onChange={set('gtin')} inputMode="numeric" error={err.gtin} />
      <fieldset className="batch-form__group">
        <legend>{t('form.area')}</legend>
        <TextField id="batch-area" name="area" label={t('form.areaName')} value={f.area} onChange={set('area')} error={err.area} required />
        <TextField id="batch-commune" name="commune" label={t('form.commune')} value={f.commune} onChange={set('commune')} error={err.commune} />
        <SelectField
          id="batch-province"
          name="province"
          label={t('form.province')}
          value={f.province}
          options={provinces.map((p) => ({ value: p.slug, label: p.name }))}
          onChange={set('province')}
          error={err.province}
          required
        />
        <div className="batch-form__row">
          <TextField id="batch-lat" name="lat" label={t('form.lat')} value={f.lat} onChange={set('lat')} inputMode="decimal" error={err.lat} />
          <TextField id="batch-lng" name="lng" label={t('form.lng')} value={f.lng} onChange={set('lng')} inputMode="decimal" error={err.lng} />
        </div>
      </fieldset>
      <fieldset className="batch-form__group">
        <legend>{t('form.input')}</legend>
        {rows.map((r, i) => {
          const id = (name: string) => (i === 0 ? `batch-input-${name}` : `batch-input-${name}-${i}`);
          const first = i === 0;
          return (
            <div key={i} className="batch-form__input" data-testid="input-row">
              <SelectField
                id={id('kind')}
                name="inputKind"
                label={t('form.inputKind')}
                value={r.kind}
                options={inputKinds.map((k) => ({ value: k, label: t(`inputKind.${k}`) }))}
                onChange={setRow(i, 'kind')}
              />
              <TextField id={id('name')} name="inputName" label={t('form.inputName')} value={r.name} onChange={setRow(i, 'name')} error={first ? err.inputName : undefined} />
              <div className="batch-form__row">
                <TextField id={id('amount')} name="inputAmount" label={t('form.inputAmount')} value={r.amount} onChange={setRow(i, 'amount')} error={first ? err.inputAmount : undefined} />
                <TextField id={id('date')} name="inputDate" type="date" label={t('form.inputDate')} value={r.date} onChange={setRow(i, 'date')} error={first ? err.inputDate : undefined} />
              </div>
              <TextField id={id('cost')} name="inputCost" label={t('form.inputCost')} hint={t('form.private')} value={r.cost} onChange={setRow(i, 'cost')} inputMode="numeric" error={first ? err.inputCost : undefined} />
              {rows.length > 1 && (
                <button type="button" className="photo-picker__remove" onClick={() => setRows((old) => old.filter((_, j) => j !== i))}>
                  {t('form.removeInput')}
                </button>
              )}
            </div>
          );
        })}
        {rows.length < maxInputs && (
          <button type="button" className="button button--secondary" onClick={() => setRows((old) => [...old, blankInput])} data-testid="add-input">
            {t('form.addInput')}
          </button>
        )}
      </fieldset>
      <fieldset className="batch-form__group">
        <legend>{t('form.cert')}</legend>
        <TextField id="batch-cert-name" name="certName" label={t('form.certName')} value={f.certName} onChange={set('certName')} error={err.certName} />
        <div className="batch-form__row">
          <TextField id="batch-cert-number" name="certNumber" label={t('form.certNumber')} value={f.certNumber} onChange={set('certNumber')} error={err.certNumber} />
          <TextField id="batch-cert-until" name="certUntil" type="date" label={t('form.certUntil')} value={f.certUntil} onChange={set('certUntil')} error={err.certUntil} />
        </div>
        <TextField id="batch-cert-issuer" name="certIssuer" label={t('form.certIssuer')} value={f.certIssuer} onChange={set('certIssuer')} error={err.certIssuer} />
        <div className="photo-picker">
          <label className="button button--secondary photo-picker__button" htmlFor="batch-cert-doc">
            {certDocState.busy ? t('event.uploading') : t('form.certDoc')}
          </label>
          <input
            id="batch-cert-doc"
            className="photo-picker__input"
            type="file"
            accept="image/*"
            capture="environment"
            disabled={certDocState.busy}
            onChange={(e) => {
              void uploadCertDoc(e.target.files?.[0]);
              e.target.value = '';
            }}
            data-testid="cert-doc"
          />
          {certDoc && (
            <ul className="photo-picker__list">
              <li>
                <img src={certDoc.url} alt={t('form.certDocAlt')} width={72} height={72} />
                <button type="button" className="photo-picker__remove" onClick={() => setCertDoc(null)}>
                  {t('event.removePhoto')}
                </button>
              </li>
            </ul>
          )}
          {certDocState.error && <FormMessage tone="error">{certDocState.error}</FormMessage>}
        </div>
      </fieldset>
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      <div className="batch-form__actions">
        <SubmitButton busy={submit.busy} busyLabel={t('form.creating')}>
          {t('form.create')}
        </SubmitButton>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
