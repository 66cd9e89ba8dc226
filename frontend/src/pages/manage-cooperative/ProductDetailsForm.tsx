import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { updateProduct, type Product, type ProductUpdate } from '../../api/catalog.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { CertificationPicker } from './CertificationPicker.tsx';
import { OcopRatingFields } from './OcopRatingFields.tsx';
import { checkThenSubmit, ocopFieldMap, ocopValues, readOcop, splitList, type OcopField, type OcopValues } from './productInput.ts';
import { SeasonMonthsField } from './SeasonMonthsField.tsx';

type Field = 'name' | 'group' | 'description' | 'certifications' | 'keywords' | 'seasonMonths' | OcopField;
type TextInput = Exclude<Field, 'seasonMonths' | 'certifications'>;

interface Values extends OcopValues {
  name: string;
  group: string;
  description: string;
  certifications: string[];
  keywords: string;
  seasonMonths: number[];
}

// The server's field names → the form's.
const fieldMap: Record<string, Field> = {
  name: 'name',
  group: 'group',
  description: 'description',
  certifications: 'certifications',
  keywords: 'keywords',
  season_months: 'seasonMonths',
  ...ocopFieldMap,
};

function valuesOf(p: Product): Values {
  return {
    name: p.name,
    group: p.group,
    description: p.description,
    certifications: p.certifications,
    keywords: p.keywords.join(', '),
    seasonMonths: p.season_months,
    ...ocopValues(p.ocop),
  };
}

// sameOcop tells whether the rating's inputs still say what the product has.
function sameOcop(a: OcopValues, b: OcopValues): boolean {
  return a.ocopStars === b.ocopStars && a.ocopCertificate === b.ocopCertificate && a.ocopExpires === b.ocopExpires;
}

/**
 * ProductDetailsForm changes what a product page says: its name, group,
 * description, certifications, keywords, season and OCOP rating. The rating
 * is sent only when changed, as one imported without its certificate would
 * otherwise be refused with every other change.
 */
export function ProductDetailsForm({ product, onSaved }: { product: Product; onSaved: (p: Product) => void }) {
  const { t } = useTranslation();
  const ocopGroups = useOcopGroups();
  const [values, setValues] = useState<Values>(() => valuesOf(product));
  const [saved, setSaved] = useState(false);
  const set = (f: TextInput) => (value: string) => {
    setSaved(false);
    setValues((v) => ({ ...v, [f]: value }));
  };
  const ocop = readOcop(values, t);
  const ocopChanged = !sameOcop(values, ocopValues(product.ocop));
  const submit = useSubmit(async () => {
    setSaved(false);
    const update: ProductUpdate = {
      name: values.name.trim(),
      group: values.group,
      description: values.description,
      certifications: values.certifications,
      keywords: splitList(values.keywords),
      season_months: values.seasonMonths,
    };
    if (ocopChanged) update.ocop = ocop.input;
    const updated = await updateProduct(product.id, update);
    // The server tidies what it keeps (keywords without repeats, certifications as written officially).
    setValues(valuesOf(updated));
    setSaved(true);
    onSaved(updated);
  }, fieldMap);
  const err = submit.errors.fields;
  const id = (f: string) => `pd-${product.id}-${f}`;
  // The product's group is offered even before the list arrives, so the select never shows another.
  const groupOptions = ocopGroups.groups.length > 0
    ? ocopGroups.groups.map((g) => ({ value: g.slug, label: ocopGroups.groupName(g.slug) }))
    : [{ value: values.group, label: ocopGroups.groupName(values.group) }];

  return (
    <section className="product-details" aria-labelledby={id('title')}>
      <h3 id={id('title')} className="dashboard__subheading">
        {t('productEditor.details')}
      </h3>
      <form
        className="form coop-form"
        noValidate
        ref={submit.formRef}
        onSubmit={(event) => checkThenSubmit(event, ocopChanged ? ocop.errors : {}, submit, t('productEditor.fix'))}
        data-testid="product-details"
      >
        <TextField id={id('name')} name="name" label={t('newProduct.name')} value={values.name} onChange={set('name')} required error={err.name} />
        <SelectField id={id('group')} name="group" label={t('productList.group')} value={values.group} options={groupOptions} onChange={set('group')} error={err.group} />
        <TextAreaField id={id('description')} name="description" label={t('newProduct.description')} hint={t('newProduct.descriptionHint')} value={values.description} onChange={set('description')} error={err.description} />
        <TextField id={id('keywords')} name="keywords" label={t('newProduct.keywords')} hint={t('coopForm.certificationsHint')} value={values.keywords} onChange={set('keywords')} error={err.keywords} />
        <CertificationPicker
          id={id('certifications')}
          value={values.certifications}
          onChange={(certifications) => {
            setSaved(false);
            setValues((v) => ({ ...v, certifications }));
          }}
          error={err.certifications}
        />
        <SeasonMonthsField
          id={id('season')}
          value={values.seasonMonths}
          onChange={(months) => {
            setSaved(false);
            setValues((v) => ({ ...v, seasonMonths: months }));
          }}
          error={err.seasonMonths}
        />
        <OcopRatingFields idPrefix={`pd-${product.id}`} values={values} onChange={(f, value) => set(f)(value)} errors={err} saved={product.ocop} />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        {saved && <FormMessage tone="success">{t('productEditor.detailsSaved')}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('dashboard.saving')}>
          {t('productEditor.saveDetails')}
        </SubmitButton>
      </form>
    </section>
  );
}
