import { useTranslation } from 'react-i18next';
import type { Variant } from '../../api/catalog.ts';
import { formatVND } from '../../lib/format.ts';

/**
 * PackagingPicker chooses one of a product's packagings ("chai 500 ml",
 * "thùng 6 chai"): each shows its price, and whether it is sold out. The
 * page's price, unit, stock, wholesale tiers and buy box follow the choice.
 * Nothing when there is only one packaging.
 */
export function PackagingPicker({
  variants,
  chosen,
  onChoose,
}: {
  variants: Variant[];
  chosen: Variant;
  onChoose: (v: Variant) => void;
}) {
  const { t } = useTranslation('packaging');
  if (variants.length < 2) return null;
  return (
    <fieldset className="packaging-picker" data-testid="packaging-picker">
      <legend className="buy-box__label">{t('legend')}</legend>
      <div className="packaging-picker__options">
        {variants.map((v) => (
          <label
            key={v.id}
            className={v.id === chosen.id ? 'packaging-picker__option packaging-picker__option--chosen' : 'packaging-picker__option'}
            data-testid="packaging-option"
            data-sku={v.sku}
          >
            <input
              type="radio"
              name="packaging"
              value={v.id}
              checked={v.id === chosen.id}
              onChange={() => onChoose(v)}
              className="visually-hidden"
            />
            <span className="packaging-picker__unit">{v.unit}</span>
            <span className="packaging-picker__price">{formatVND(v.price_vnd)}</span>
            {v.stock <= 0 && <span className="packaging-picker__out">{t('optionOut')}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** firstPackaging is the packaging a page opens with: the one named, else the first in stock, else the first. */
export function firstPackaging(variants: Variant[], sku: string | null): Variant | undefined {
  return variants.find((v) => v.sku === sku) ?? variants.find((v) => v.stock > 0) ?? variants[0];
}
