import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createProduct, type NewProduct, type OCOPInput } from '../../api/catalog.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { OcopRatingFields } from './OcopRatingFields.tsx';
import { checkThenSubmit, ocopFieldMap, ocopValues, readOcop, splitList, type OcopField } from './productInput.ts';

const fields = [
  'name', 'group', 'province', 'description', 'status', 'certifications', 'keywords',
  'sku', 'unit', 'price', 'stock', 'wholesaleMin', 'tierQty', 'tierPrice',
] as const;
type Field = (typeof fields)[number] | OcopField;
type Values = Record<Field, string>;

// The server's field names (one packaging, one wholesale tier) → the form's.
const fieldMap: Record<string, Field> = {
  name: 'name',
  group: 'group',
  province: 'province',
  description: 'description',
  status: 'status',
  certifications: 'certifications',
  keywords: 'keywords',
  ...ocopFieldMap,
  variants: 'sku',
  'variants[0].sku': 'sku',
  'variants[0].unit': 'unit',
  'variants[0].price_vnd': 'price',
  'variants[0].stock': 'stock',
  'variants[0].wholesale_min_qty': 'wholesaleMin',
  'variants[0].price_tiers[0].min_qty': 'tierQty',
  'variants[0].price_tiers[0].unit_price_vnd': 'tierPrice',
};

/** NewProductForm adds a product with its first packaging and, optionally, one wholesale price tier. */
export function NewProductForm({ coop, province, onCreated }: { coop: string; province: string; onCreated: () => void }) {
  const { t } = useTranslation();
  const { provinces } = useProvinceList();
  const ocopGroups = useOcopGroups();
  const [values, setValues] = useState<Values>(() => ({
    ...(Object.fromEntries(fields.map((f) => [f, ''])) as Values),
    province,
    group: 'thuc-pham',
    status: 'draft',
    ...ocopValues(),
  }));
  const set = (f: Field) => (value: string) => setValues((v) => ({ ...v, [f]: value }));
  const ocop = readOcop(values, t);
  const submit = useSubmit(async () => {
    await createProduct(coop, toNewProduct(values, ocop.input));
    onCreated();
  }, fieldMap);
  const err = submit.errors.fields;

  return (
    <section className="dashboard__panel" aria-labelledby="new-product-title">
      <h2 id="new-product-title" className="dashboard__heading">
        {t('newProduct.title')}
      </h2>
      <form
        className="form coop-form"
        noValidate
        ref={submit.formRef}
        onSubmit={(event) => checkThenSubmit(event, ocop.errors, submit, t('productEditor.fix'))}
      >
        <fieldset className="coop-form__group">
          <legend className="coop-form__legend">{t('newProduct.about')}</legend>
          <TextField id="np-name" name="name" label={t('newProduct.name')} value={values.name} onChange={set('name')} required error={err.name} />
          <div className="coop-form__row">
            <SelectField id="np-group" name="group" label={t('productList.group')} value={values.group} options={ocopGroups.groups.map((g) => ({ value: g.slug, label: ocopGroups.groupName(g.slug) }))} onChange={set('group')} error={err.group} />
            <SelectField id="np-province" name="province" label={t('newProduct.province')} value={values.province} options={provinces.map((p) => ({ value: p.slug, label: p.name }))} onChange={set('province')} error={err.province} />
          </div>
          <TextAreaField id="np-description" name="description" label={t('newProduct.description')} hint={t('newProduct.descriptionHint')} value={values.description} onChange={set('description')} error={err.description} />
          <TextField id="np-certifications" name="certifications" label={t('coopForm.certifications')} hint={t('newProduct.certificationsHint')} value={values.certifications} onChange={set('certifications')} error={err.certifications} />
          <TextField id="np-keywords" name="keywords" label={t('newProduct.keywords')} hint={t('coopForm.certificationsHint')} value={values.keywords} onChange={set('keywords')} error={err.keywords} />
          <SelectField id="np-status" name="status" label={t('dashboard.status')} value={values.status} options={[{ value: 'draft', label: t('productStatus.draft') }, { value: 'active', label: t('productStatus.active') }]} onChange={set('status')} error={err.status} />
        </fieldset>
        <OcopRatingFields idPrefix="np" values={values} onChange={(f, value) => set(f)(value)} errors={err} />
        <fieldset className="coop-form__group">
          <legend className="coop-form__legend">{t('newProduct.variant')}</legend>
          <div className="coop-form__row">
            <TextField id="np-sku" name="sku" label={t('newProduct.sku')} hint={t('newProduct.skuHint')} value={values.sku} onChange={set('sku')} required error={err.sku} />
            <TextField id="np-unit" name="unit" label={t('product.unit')} hint={t('newProduct.unitHint')} value={values.unit} onChange={set('unit')} required error={err.unit} />
          </div>
          <div className="coop-form__row">
            <TextField id="np-price" name="price" type="number" inputMode="numeric" label={t('newProduct.price')} value={values.price} onChange={set('price')} required error={err.price} />
            <TextField id="np-stock" name="stock" type="number" inputMode="numeric" label={t('product.stock')} value={values.stock} onChange={set('stock')} error={err.stock} />
          </div>
          <div className="coop-form__row">
            <TextField id="np-wholesale-min" name="wholesaleMin" type="number" inputMode="numeric" label={t('newProduct.wholesaleMin')} value={values.wholesaleMin} onChange={set('wholesaleMin')} error={err.wholesaleMin} />
            <TextField id="np-tier-qty" name="tierQty" type="number" inputMode="numeric" label={t('newProduct.tierQty')} value={values.tierQty} onChange={set('tierQty')} error={err.tierQty} />
            <TextField id="np-tier-price" name="tierPrice" type="number" inputMode="numeric" label={t('newProduct.tierPrice')} value={values.tierPrice} onChange={set('tierPrice')} error={err.tierPrice} />
          </div>
        </fieldset>
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('dashboard.saving')}>
          {t('newProduct.submit')}
        </SubmitButton>
      </form>
    </section>
  );
}

function num(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

function toNewProduct(v: Values, ocop: OCOPInput): NewProduct {
  const tierQty = num(v.tierQty);
  const tierPrice = num(v.tierPrice);
  const stock = num(v.stock);
  const wholesaleMin = num(v.wholesaleMin);
  return {
    name: v.name.trim(),
    group: v.group,
    province: v.province,
    description: v.description,
    status: v.status === 'active' ? 'active' : 'draft',
    certifications: splitList(v.certifications),
    keywords: splitList(v.keywords),
    ...(ocop.stars > 0 ? { ocop } : {}),
    variants: [
      {
        sku: v.sku.trim(),
        unit: v.unit.trim(),
        price_vnd: num(v.price) ?? 0,
        ...(stock !== undefined ? { stock } : {}),
        ...(wholesaleMin !== undefined ? { wholesale_min_qty: wholesaleMin } : {}),
        ...(tierQty !== undefined && tierPrice !== undefined
          ? { price_tiers: [{ min_qty: tierQty, unit_price_vnd: tierPrice }] }
          : {}),
      },
    ],
  };
}
