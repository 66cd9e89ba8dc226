import { useTranslation } from 'react-i18next';
import './price-range.css';

type Props = {
  /** idPrefix keeps the inputs' ids unique on a page (e.g. "filter", "search"). */
  idPrefix: string;
  min: string;
  max: string;
  onMinChange: (value: string) => void;
  onMaxChange: (value: string) => void;
};

/** PriceRangeInputs is the "from – to" pair of VND price fields of a filter. */
export function PriceRangeInputs({ idPrefix, min, max, onMinChange, onMaxChange }: Props) {
  const { t } = useTranslation();
  return (
    <div className="price-range">
      <label className="visually-hidden" htmlFor={`${idPrefix}-min-price`}>
        {t('productList.minPrice')}
      </label>
      <input
        id={`${idPrefix}-min-price`}
        className="field__input"
        type="number"
        inputMode="numeric"
        min={0}
        step={1000}
        placeholder={t('productList.minPricePlaceholder')}
        value={min}
        onChange={(e) => onMinChange(e.target.value)}
      />
      <span aria-hidden="true">–</span>
      <label className="visually-hidden" htmlFor={`${idPrefix}-max-price`}>
        {t('productList.maxPrice')}
      </label>
      <input
        id={`${idPrefix}-max-price`}
        className="field__input"
        type="number"
        inputMode="numeric"
        min={0}
        step={1000}
        placeholder={t('productList.maxPricePlaceholder')}
        value={max}
        onChange={(e) => onMaxChange(e.target.value)}
      />
    </div>
  );
}
