import { useTranslation } from 'react-i18next';
import { productSorts, type ProductSort } from '../../api/catalog.ts';

/** SortSelect chooses the order of the product list. */
export function SortSelect({ value, onChange }: { value: ProductSort; onChange: (sort: ProductSort) => void }) {
  const { t } = useTranslation();
  return (
    <div className="sort-select">
      <label htmlFor="product-sort" className="sort-select__label">
        {t('productList.sortLabel')}
      </label>
      <select
        id="product-sort"
        className="field__input field__input--select sort-select__input"
        value={value}
        onChange={(event) => onChange(event.target.value as ProductSort)}
      >
        {productSorts.map((s) => (
          <option key={s} value={s}>
            {t(`productList.sort.${s}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
