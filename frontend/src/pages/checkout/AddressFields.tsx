import { useTranslation } from 'react-i18next';
import { SelectField } from '../../components/form/SelectField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';

/** AddressValues is a delivery address as typed: no district since 2025, the province then the commune or ward. */
export interface AddressValues {
  recipient: string;
  phone: string;
  province: string;
  commune: string;
  street: string;
}

/** AddressFields asks who receives the order and where: name, phone, province, commune or ward, street. */
export function AddressFields({
  values,
  onChange,
  errors,
}: {
  values: AddressValues;
  onChange: (values: AddressValues) => void;
  errors: Partial<Record<keyof AddressValues, string>>;
}) {
  const { t } = useTranslation();
  const { provinces } = useProvinceList();
  const set = (field: keyof AddressValues) => (value: string) => onChange({ ...values, [field]: value });
  return (
    <fieldset className="checkout__group">
      <legend className="checkout__legend">{t('checkout.address')}</legend>
      <div className="checkout__row">
        <TextField
          id="checkout-recipient"
          name="recipient"
          label={t('checkout.recipient')}
          value={values.recipient}
          onChange={set('recipient')}
          autoComplete="name"
          required
          error={errors.recipient}
        />
        <TextField
          id="checkout-phone"
          name="phone"
          type="tel"
          label={t('checkout.phone')}
          hint={t('checkout.phoneHint')}
          value={values.phone}
          onChange={set('phone')}
          autoComplete="tel"
          inputMode="tel"
          required
          error={errors.phone}
        />
      </div>
      <SelectField
        id="checkout-province"
        name="province"
        label={t('checkout.province')}
        placeholder={t('coopForm.chooseProvince')}
        value={values.province}
        options={provinces.map((p) => ({ value: p.slug, label: p.name }))}
        onChange={set('province')}
        required
        error={errors.province}
      />
      <TextField
        id="checkout-commune"
        name="commune"
        label={t('checkout.commune')}
        hint={t('checkout.communeHint')}
        value={values.commune}
        onChange={set('commune')}
        required
        error={errors.commune}
      />
      <TextField
        id="checkout-street"
        name="street"
        label={t('checkout.street')}
        hint={t('checkout.streetHint')}
        value={values.street}
        onChange={set('street')}
        autoComplete="street-address"
        required
        error={errors.street}
      />
    </fieldset>
  );
}
