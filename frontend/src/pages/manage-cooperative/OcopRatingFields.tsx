import { useTranslation } from 'react-i18next';
import type { Product } from '../../api/catalog.ts';
import { SelectField } from '../../components/form/SelectField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate } from '../../lib/format.ts';
import type { OcopField, OcopValues } from './productInput.ts';

/**
 * OcopRatingFields are a product's OCOP rating: stars (or none) and, with
 * stars, the certificate's number and expiry, typed day first. saved is the
 * rating the product has now, to say when it has expired.
 */
export function OcopRatingFields({
  idPrefix,
  values,
  onChange,
  errors,
  saved,
}: {
  idPrefix: string;
  values: OcopValues;
  onChange: (field: OcopField, value: string) => void;
  errors: Partial<Record<OcopField, string>>;
  saved?: Product['ocop'] | undefined;
}) {
  const { t } = useTranslation();
  const set = (f: OcopField) => (value: string) => onChange(f, value);
  const stars = [3, 4, 5].map((s) => ({ value: String(s), label: t('product.ocopStars', { count: s }) }));
  return (
    <fieldset className="coop-form__group" data-testid="ocop-fields">
      <legend className="coop-form__legend">{t('newProduct.ocop')}</legend>
      <SelectField
        id={`${idPrefix}-ocop-stars`}
        name="ocopStars"
        label={t('newProduct.ocopStars')}
        value={values.ocopStars}
        options={[{ value: '0', label: t('newProduct.noOcop') }, ...stars]}
        onChange={set('ocopStars')}
        error={errors.ocopStars}
      />
      {values.ocopStars !== '0' && (
        <div className="coop-form__row">
          <TextField
            id={`${idPrefix}-ocop-certificate`}
            name="ocopCertificate"
            label={t('newProduct.ocopCertificate')}
            value={values.ocopCertificate}
            onChange={set('ocopCertificate')}
            error={errors.ocopCertificate}
          />
          <TextField
            id={`${idPrefix}-ocop-expires`}
            name="ocopExpires"
            label={t('newProduct.ocopExpires')}
            hint={t('productEditor.dateHint')}
            value={values.ocopExpires}
            onChange={set('ocopExpires')}
            error={errors.ocopExpires}
          />
        </div>
      )}
      {saved && !saved.current && (
        <p className="field__hint" data-testid="ocop-expired">
          {t('productEditor.ocopExpired', {
            stars: saved.stars,
            date: saved.expires_on ? formatDate(saved.expires_on, currentLanguage()) : '',
          })}
        </p>
      )}
    </fieldset>
  );
}
