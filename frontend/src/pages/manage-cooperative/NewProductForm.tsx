import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { createProduct, updateProduct, type NewProduct, type Product } from '../../api/catalog.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { CertificationPicker } from './CertificationPicker.tsx';
import { OcopRatingFields } from './OcopRatingFields.tsx';
import { ProductImages, StagedPhotos, uploadAll } from './ProductImages.tsx';
import { checkThenSubmit, ocopFieldMap, ocopValues, readOcop, readVariant, splitList, variantValues, type OcopField, type VariantValues } from './productInput.ts';
import { VariantFields } from './VariantFields.tsx';
import './media.css';

const fields = ['name', 'group', 'province', 'description', 'status', 'keywords'] as const;
type Field = (typeof fields)[number] | OcopField;
type Values = Record<Field, string>;

/** Saved is a product just created, with how its photos went. */
interface Saved {
  product: Product;
  photos: number;
  photoError: string;
}

/**
 * NewProductForm adds a product with its first packaging, its wholesale
 * terms and its photos, which are uploaded once the product exists. Then
 * it says the product is saved and offers the next steps: photos, putting
 * it on sale, its page.
 */
export function NewProductForm({ coop, province, onCreated }: { coop: string; province: string; onCreated: () => void }) {
  const [saved, setSaved] = useState<Saved | null>(null);
  const [round, setRound] = useState(0);
  if (saved) {
    return (
      <ProductSaved
        saved={saved}
        onChanged={(product) => setSaved({ ...saved, product })}
        onList={onCreated}
        onAnother={() => {
          setSaved(null);
          setRound((n) => n + 1);
        }}
      />
    );
  }
  return <NewProductFields key={round} coop={coop} province={province} onSaved={setSaved} />;
}

function NewProductFields({ coop, province, onSaved }: { coop: string; province: string; onSaved: (s: Saved) => void }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const { provinces } = useProvinceList();
  const ocopGroups = useOcopGroups();
  const [values, setValues] = useState<Values>(() => ({
    ...(Object.fromEntries(fields.map((f) => [f, ''])) as Record<(typeof fields)[number], string>),
    province,
    group: 'thuc-pham',
    status: 'draft',
    ...ocopValues(),
  }));
  const [certifications, setCertifications] = useState<string[]>([]);
  const [variant, setVariant] = useState<VariantValues>(() => variantValues());
  const [photos, setPhotos] = useState<File[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const set = (f: Field) => (value: string) => setValues((v) => ({ ...v, [f]: value }));
  const ocop = readOcop(values, t);
  const read = readVariant(variant, t, tm);
  // The server's field names (one packaging) → the form's.
  const fieldMap: Record<string, string> = {
    name: 'name',
    group: 'group',
    province: 'province',
    description: 'description',
    status: 'status',
    certifications: 'certifications',
    keywords: 'keywords',
    ...ocopFieldMap,
    variants: 'sku',
    ...Object.fromEntries(Object.entries(read.fieldMap).map(([k, v]) => [`variants[0].${k}`, v])),
  };
  const submit = useSubmit(async () => {
    const body: NewProduct = {
      name: values.name.trim(),
      group: values.group,
      province: values.province,
      description: values.description,
      status: values.status === 'active' ? 'active' : 'draft',
      certifications,
      keywords: splitList(values.keywords),
      ...(ocop.input.stars > 0 ? { ocop: ocop.input } : {}),
      variants: [{ ...read.body, sku: variant.sku.trim(), ...(read.stock === undefined ? {} : { stock: read.stock }) }],
    };
    const created = await createProduct(coop, body);
    if (photos.length === 0) {
      onSaved({ product: created, photos: 0, photoError: '' });
      return;
    }
    setProgress(0);
    const result = await uploadAll(created, photos, '', setProgress);
    onSaved({
      product: result.product,
      photos: result.uploaded,
      photoError: result.error === undefined ? '' : tm('photos.failed', { count: photos.length - result.uploaded, reason: problemMessage(result.error, t) }),
    });
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
        onSubmit={(event) => checkThenSubmit(event, { ...ocop.errors, ...read.errors }, submit, t('productEditor.fix'))}
        data-testid="new-product-form"
      >
        <fieldset className="coop-form__group">
          <legend className="coop-form__legend">{t('newProduct.about')}</legend>
          <TextField id="np-name" name="name" label={t('newProduct.name')} value={values.name} onChange={set('name')} required error={err.name} />
          <div className="coop-form__row">
            <SelectField id="np-group" name="group" label={t('productList.group')} value={values.group} options={ocopGroups.groups.map((g) => ({ value: g.slug, label: ocopGroups.groupName(g.slug) }))} onChange={set('group')} error={err.group} />
            <SelectField id="np-province" name="province" label={t('newProduct.province')} value={values.province} options={provinces.map((p) => ({ value: p.slug, label: p.name }))} onChange={set('province')} error={err.province} />
          </div>
          <TextAreaField id="np-description" name="description" label={t('newProduct.description')} hint={t('newProduct.descriptionHint')} value={values.description} onChange={set('description')} error={err.description} />
          <CertificationPicker id="np-certifications" value={certifications} onChange={setCertifications} error={err.certifications} />
          <TextField id="np-keywords" name="keywords" label={t('newProduct.keywords')} hint={t('coopForm.certificationsHint')} value={values.keywords} onChange={set('keywords')} error={err.keywords} />
          <SelectField id="np-status" name="status" label={t('dashboard.status')} value={values.status} options={[{ value: 'draft', label: t('productStatus.draft') }, { value: 'active', label: t('productStatus.active') }]} onChange={set('status')} error={err.status} />
        </fieldset>
        <OcopRatingFields idPrefix="np" values={values} onChange={(f, value) => set(f)(value)} errors={err} />
        <fieldset className="coop-form__group">
          <legend className="coop-form__legend">{t('newProduct.variant')}</legend>
          <VariantFields idPrefix="np" values={variant} onChange={setVariant} errors={err} isNew />
        </fieldset>
        <StagedPhotos files={photos} onChange={setPhotos} />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={progress === null ? t('dashboard.saving') : tm('photos.uploading', { number: Math.min(progress + 1, photos.length), count: photos.length })}>
          {t('newProduct.submit')}
        </SubmitButton>
      </form>
    </section>
  );
}

/**
 * ProductSaved announces a new product and its next steps: photos (the
 * photo manager is right here), putting a draft on sale, seeing its page.
 */
function ProductSaved({ saved, onChanged, onList, onAnother }: { saved: Saved; onChanged: (p: Product) => void; onList: () => void; onAnother: () => void }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const { product } = saved;
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  async function publish() {
    setBusy(true);
    setNotice(null);
    try {
      onChanged(await updateProduct(product.id, { status: 'active' }));
      setNotice({ tone: 'success', text: tm('saved.published') });
    } catch (err) {
      setNotice({ tone: 'error', text: problemMessage(err, t) });
    } finally {
      setBusy(false);
    }
  }

  const active = product.status === 'active';
  return (
    <section className="dashboard__panel product-saved" aria-labelledby="product-saved-title" data-testid="product-saved" data-slug={product.slug}>
      <h2 id="product-saved-title" className="product-saved__title" ref={heading} tabIndex={-1}>
        {tm('saved.title', { name: product.name })}
      </h2>
      <FormMessage tone="success">
        {active ? tm('saved.active') : tm('saved.draft')}
        {saved.photos > 0 && ` ${tm('saved.photos', { count: saved.photos })}`}
      </FormMessage>
      {saved.photoError && <FormMessage tone="error">{saved.photoError}</FormMessage>}
      <h3 className="dashboard__subheading">{tm('saved.next')}</h3>
      <ol className="product-saved__steps" data-testid="next-steps">
        {product.images.length === 0 && <li>{tm('saved.stepPhotos')}</li>}
        {!active && <li>{tm('saved.stepPublish')}</li>}
        {active && <li>{tm('saved.stepDone')}</li>}
      </ol>
      {notice && <FormMessage tone={notice.tone}>{notice.text}</FormMessage>}
      <div className="product-saved__actions">
        {!active && (
          <button type="button" className="button button--primary" disabled={busy} aria-busy={busy} onClick={() => void publish()} data-testid="publish-product">
            {busy ? tm('saved.publishing') : tm('saved.publish')}
          </button>
        )}
        {active && (
          <Link to={`/san-pham/${product.slug}`} className="button button--primary" data-testid="view-product">
            {tm('saved.view')}
          </Link>
        )}
        <button type="button" className="button button--secondary" onClick={onList} data-testid="back-to-products">
          {tm('saved.list')}
        </button>
        <button type="button" className="button button--secondary" onClick={onAnother} data-testid="another-product">
          {tm('saved.another')}
        </button>
      </div>
      <ProductImages product={product} name={product.name} onChanged={onChanged} />
    </section>
  );
}
