import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CooperativeProfile, CooperativeStorefront } from '../../api/cooperatives.ts';
import { FormMessage } from '../form/FormMessage.tsx';
import { SelectField } from '../form/SelectField.tsx';
import { SubmitButton } from '../form/SubmitButton.tsx';
import { TextAreaField } from '../form/TextAreaField.tsx';
import { TextField } from '../form/TextField.tsx';
import { useSubmit } from '../form/useSubmit.ts';
import { useProvinceList } from '../province/useProvinceList.ts';
import { CoopImageFields } from './CoopImageFields.tsx';
import './cooperative-form.css';

const fields = [
  'name',
  'registration_number',
  'province',
  'commune',
  'address',
  'phone',
  'email',
  'founded_year',
  'member_count',
  'story',
  'certifications',
] as const;
type Field = (typeof fields)[number];
const fieldMap = Object.fromEntries(fields.map((f) => [f, f])) as Record<string, Field>;
type Values = Record<Field, string>;

function initialValues(coop?: CooperativeStorefront): Values {
  return {
    name: coop?.name ?? '',
    registration_number: coop?.registration_number ?? '',
    province: coop?.province ?? '',
    commune: coop?.commune ?? '',
    address: coop?.address ?? '',
    phone: coop?.phone ?? '',
    email: coop?.email ?? '',
    founded_year: coop?.founded_year?.toString() ?? '',
    member_count: coop?.member_count?.toString() ?? '',
    story: coop?.story ?? '',
    certifications: coop?.certifications.join(', ') ?? '',
  };
}

/**
 * CooperativeForm is the cooperative's profile: registration (empty) or
 * editing (filled from coop). Each server field error shows next to its field.
 * The logo and cover are uploaded on their own, at once, once the
 * cooperative is registered; the form never sends their addresses.
 */
export function CooperativeForm({
  coop,
  submitLabel,
  busyLabel,
  onSave,
}: {
  coop?: CooperativeStorefront;
  submitLabel: string;
  busyLabel: string;
  onSave: (profile: CooperativeProfile) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const { provinces } = useProvinceList();
  const [values, setValues] = useState<Values>(() => initialValues(coop));
  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const submit = useSubmit(() => onSave(toProfile(values, coop)), fieldMap);
  const err = submit.errors.fields;
  const id = (f: Field) => `coop-${f}`;

  return (
    <form className="form coop-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit}>
      <fieldset className="coop-form__group">
        <legend className="coop-form__legend">{t('coopForm.identity')}</legend>
        <TextField id={id('name')} name="name" label={t('coopForm.name')} hint={t('coopForm.nameHint')} value={values.name} onChange={set('name')} required error={err.name} />
        <TextField
          id={id('registration_number')}
          name="registration_number"
          label={t('coopForm.registrationNumber')}
          hint={t('coopForm.registrationNumberHint')}
          value={values.registration_number}
          onChange={set('registration_number')}
          inputMode="numeric"
          required
          error={err.registration_number}
        />
        <div className="coop-form__row">
          <TextField id={id('founded_year')} name="founded_year" type="number" label={t('coopForm.foundedYear')} value={values.founded_year} onChange={set('founded_year')} inputMode="numeric" error={err.founded_year} />
          <TextField id={id('member_count')} name="member_count" type="number" label={t('coopForm.memberCount')} value={values.member_count} onChange={set('member_count')} inputMode="numeric" error={err.member_count} />
        </div>
      </fieldset>
      <fieldset className="coop-form__group">
        <legend className="coop-form__legend">{t('coopForm.place')}</legend>
        <SelectField
          id={id('province')}
          name="province"
          label={t('coopForm.province')}
          placeholder={t('coopForm.chooseProvince')}
          value={values.province}
          options={provinces.map((p) => ({ value: p.slug, label: p.name }))}
          onChange={set('province')}
          required
          error={err.province}
        />
        <TextField id={id('commune')} name="commune" label={t('coopForm.commune')} hint={t('coopForm.communeHint')} value={values.commune} onChange={set('commune')} required error={err.commune} />
        <TextField id={id('address')} name="address" label={t('coopForm.address')} value={values.address} onChange={set('address')} autoComplete="street-address" error={err.address} />
      </fieldset>
      <fieldset className="coop-form__group">
        <legend className="coop-form__legend">{t('coopForm.contact')}</legend>
        <div className="coop-form__row">
          <TextField id={id('phone')} name="phone" type="tel" label={t('coopForm.phone')} value={values.phone} onChange={set('phone')} autoComplete="tel" error={err.phone} />
          <TextField id={id('email')} name="email" type="email" label={t('coopForm.email')} value={values.email} onChange={set('email')} autoComplete="email" error={err.email} />
        </div>
      </fieldset>
      <fieldset className="coop-form__group">
        <legend className="coop-form__legend">{t('coopForm.presentation')}</legend>
        <TextAreaField id={id('story')} name="story" label={t('coopForm.story')} hint={t('coopForm.storyHint')} value={values.story} onChange={set('story')} error={err.story} />
        <TextField id={id('certifications')} name="certifications" label={t('coopForm.certifications')} hint={t('coopForm.certificationsHint')} value={values.certifications} onChange={set('certifications')} error={err.certifications} />
      </fieldset>
      {coop ? (
        <CoopImageFields coop={coop.slug} logoURL={coop.logo_url} coverURL={coop.banner_url} />
      ) : (
        <p className="field__hint" data-testid="images-after-registration">
          {tm('coopImages.afterRegistration')}
        </p>
      )}
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      <SubmitButton busy={submit.busy} busyLabel={busyLabel}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}

// toProfile sends what was filled in; when editing, fields emptied are sent
// empty (clearing them), numbers only when given.
function toProfile(v: Values, coop?: CooperativeStorefront): CooperativeProfile {
  const profile: CooperativeProfile = {};
  const text = ['name', 'registration_number', 'province', 'commune', 'address', 'phone', 'email', 'story'] as const;
  for (const f of text) {
    const value = v[f].trim();
    if (value !== '' || (coop && coop[f] !== '')) profile[f] = value;
  }
  if (v.founded_year.trim() !== '') profile.founded_year = Number(v.founded_year);
  if (v.member_count.trim() !== '') profile.member_count = Number(v.member_count);
  const certs = v.certifications
    .split(/[,;]/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (certs.length > 0 || (coop && coop.certifications.length > 0)) profile.certifications = certs;
  return profile;
}
