import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/form/TextField.tsx';
import { tierField, tierRow, type TierRow, type VariantValues } from './productInput.ts';

/**
 * VariantFields are a packaging's inputs: its unit, retail price and
 * wholesale tiers, and for a new one its SKU and first stock (a SKU never
 * changes; stock is counted on its own afterwards).
 */
export function VariantFields({
  idPrefix,
  values,
  onChange,
  errors,
  isNew = false,
}: {
  idPrefix: string;
  values: VariantValues;
  onChange: (values: VariantValues) => void;
  errors: Partial<Record<string, string>>;
  isNew?: boolean;
}) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const set = (field: 'sku' | 'unit' | 'price' | 'stock' | 'wholesaleMin') => (value: string) =>
    onChange({ ...values, [field]: value });
  return (
    <>
      <div className="coop-form__row">
        {isNew && (
          <TextField id={`${idPrefix}-sku`} name="sku" label={t('newProduct.sku')} hint={t('newProduct.skuHint')} value={values.sku} onChange={set('sku')} required error={errors.sku} />
        )}
        <TextField id={`${idPrefix}-unit`} name="unit" label={t('product.unit')} hint={t('newProduct.unitHint')} value={values.unit} onChange={set('unit')} required error={errors.unit} />
        <TextField id={`${idPrefix}-price`} name="price" inputMode="numeric" label={t('newProduct.price')} hint={tm('amount.priceHint')} value={values.price} onChange={set('price')} required error={errors.price} />
        {isNew && (
          <TextField id={`${idPrefix}-stock`} name="stock" inputMode="numeric" label={t('product.stock')} value={values.stock} onChange={set('stock')} error={errors.stock} />
        )}
      </div>
      <TierFields idPrefix={idPrefix} values={values} onChange={onChange} errors={errors} />
    </>
  );
}

/**
 * TierFields are the one wholesale block: the smallest wholesale order and
 * the unit price from each quantity, all optional.
 */
function TierFields({
  idPrefix,
  values,
  onChange,
  errors,
}: {
  idPrefix: string;
  values: VariantValues;
  onChange: (values: VariantValues) => void;
  errors: Partial<Record<string, string>>;
}) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const setRow = (key: number, change: Partial<TierRow>) =>
    onChange({ ...values, tiers: values.tiers.map((r) => (r.key === key ? { ...r, ...change } : r)) });
  return (
    <fieldset className="tier-fields" data-testid="tier-fields">
      <legend className="tier-fields__legend">{tm('wholesale.legend')}</legend>
      <p className="field__hint">
        {tm('wholesale.hint')} {t('productEditor.tiersHint')}
      </p>
      <div className="coop-form__row">
        <TextField id={`${idPrefix}-wholesale-min`} name="wholesaleMin" inputMode="numeric" label={t('newProduct.wholesaleMin')} hint={t('productEditor.wholesaleMinHint')} value={values.wholesaleMin} onChange={(v) => onChange({ ...values, wholesaleMin: v })} error={errors.wholesaleMin} />
      </div>
      {values.tiers.length > 0 && (
        <ol className="tier-fields__list">
          {values.tiers.map((row, i) => (
            <li key={row.key} className="tier-fields__row" data-testid="tier-row-input">
              <TextField id={`${idPrefix}-tier-${row.key}-qty`} name="tierQty" inputMode="numeric" label={t('productEditor.tierQty', { number: i + 1 })} value={row.minQty} onChange={(v) => setRow(row.key, { minQty: v })} error={errors[tierField(row.key, 'qty')]} />
              <TextField id={`${idPrefix}-tier-${row.key}-price`} name="tierPrice" inputMode="numeric" label={t('productEditor.tierPrice', { number: i + 1 })} value={row.price} onChange={(v) => setRow(row.key, { price: v })} error={errors[tierField(row.key, 'price')]} />
              <button
                type="button"
                className="button button--danger button--small tier-fields__remove"
                onClick={() => onChange({ ...values, tiers: values.tiers.filter((r) => r.key !== row.key) })}
                data-testid="tier-remove"
              >
                {t('productEditor.tierRemove', { number: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      <button
        type="button"
        className="button button--secondary button--small tier-fields__add"
        onClick={() => onChange({ ...values, tiers: [...values.tiers, tierRow()] })}
        data-testid="tier-add"
      >
        {t('productEditor.tierAdd')}
      </button>
    </fieldset>
  );
}
