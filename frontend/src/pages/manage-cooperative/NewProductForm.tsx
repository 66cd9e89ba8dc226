import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createProduct, type NewProduct } from '../../api/catalog.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { splitList } from './productInput.ts';

const fields = [
  'name', 'group', 'province', 'description', 'status', 'certifications', 'keywords',
  'ocopStars', 'ocopCertificate', 'ocopExpires',
  'sku', 'unit', 'price', 'stock', 'wholesaleMin', 'tierQty', 'tierPrice',
] as const;
type Field = (typeof fields)[number];
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
  'ocop.stars': 'ocopStars',
  'ocop.certificate': 'ocopCertificate',
  'ocop.expires_on': 'ocopExpires',
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
    ocopStars: '0',
  }));
  const set = (f: Field) => (value: string) => setValues((v) => ({ ...v, [f]: value }));
  const submit = useSubmit(async () => {
    await createProduct(coop, toNewProduct(values));
    onCreated();
  }, fieldMap);
  const err = submit.errors.fields;
  const hasOcop = values.ocopStars !== '0';

  return (
    <section className="dashboard__panel" aria-labelledby="new-product-title">
      <h2 id="new-product-title" className="dashboard__heading">
        {t('newProduct.title')}
      </h2>
      <form className="form coop-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit}>
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
        <fieldset className="coop-form__group">
          <legend className="coop-form__legend">{t('newProduct.ocop')}</legend>
          <SelectField id="np-ocop-stars" name="ocopStars" label={t('newProduct.ocopStars')} value={values.ocopStars} options={[{ value: '0', label: t('newProduct.noOcop') }, ...[3, 4, 5].map((s) => ({ value: String(s), label: t('product.ocopStars', { count: s }) }))]} onChange={set('ocopStars')} error={err.ocopStars} />
          {hasOcop && (
            <div className="coop-form__row">
              <TextField id="np-ocop-certificate" name="ocopCertificate" label={t('newProduct.ocopCertificate')} value={values.ocopCertificate} onChange={set('ocopCertificate')} error={err.ocopCertificate} />
              <TextField id="np-ocop-expires" name="ocopExpires" type="date" label={t('newProduct.ocopExpires')} value={values.ocopExpires} onChange={set('ocopExpires')} error={err.ocopExpires} />
            </div>
          )}
        </fieldset>
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

function toNewProduct(v: Values): NewProduct {
  const stars = Number(v.ocopStars);
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
    ...(stars > 0
      ? { ocop: { stars: stars as 3 | 4 | 5, certificate: v.ocopCertificate.trim(), expires_on: v.ocopExpires } }
      : {}),
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
