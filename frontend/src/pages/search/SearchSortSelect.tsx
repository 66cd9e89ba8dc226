import { useTranslation } from 'react-i18next';
import { searchSorts, type SearchSort } from '../../api/search.ts';

/** SearchSortSelect chooses the order of the results: relevance first. */
export function SearchSortSelect({ value, onChange }: { value: SearchSort; onChange: (sort: SearchSort) => void }) {
  const { t } = useTranslation();
  return (
    <div className="sort-select">
      <label htmlFor="search-sort" className="sort-select__label">
        {t('productList.sortLabel')}
      </label>
      <select
        id="search-sort"
        className="field__input field__input--select sort-select__input"
        value={value}
        onChange={(event) => onChange(event.target.value as SearchSort)}
      >
        {searchSorts.map((s) => (
          <option key={s} value={s}>
            {t(`searchPage.sort.${s}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
