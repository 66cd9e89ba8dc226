import { useTranslation } from 'react-i18next';

/** SortSelect chooses the order of a product list among the orders it offers. */
export function SortSelect<T extends string>({
  id,
  value,
  sorts,
  labelFor,
  onChange,
}: {
  id: string;
  value: T;
  sorts: readonly T[];
  labelFor: (sort: T) => string;
  onChange: (sort: T) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="sort-select">
      <label htmlFor={id} className="sort-select__label">
        {t('productList.sortLabel')}
      </label>
      <select
        id={id}
        className="field__input field__input--select sort-select__input"
        value={value}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {sorts.map((s) => (
          <option key={s} value={s}>
            {labelFor(s)}
          </option>
        ))}
      </select>
    </div>
  );
}
