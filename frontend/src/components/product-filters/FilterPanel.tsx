import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { multiFacets, type SearchFacet, type SearchFacetValue, type SearchResult } from '../../api/search.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { PriceRangeInputs } from '../price-range/PriceRangeInputs.tsx';
import { useProvinceList } from '../province/useProvinceList.ts';
import { chosenValues, toggle, toPrice, type FilterState } from './filterState.ts';

/** shortList is how many values a facet shows before "Xem tất cả". */
const shortList = 8;

const facetOrder: SearchFacet[] = ['province', 'group', 'stars', 'certification', 'cooperative'];

export interface FilterPanelProps<S extends FilterState> {
  state: S;
  /** facets are the counts of the search that state describes (the previous one while it loads). */
  facets: SearchResult['facets'] | undefined;
  /** coopNames names the cooperatives seen, for a chosen cooperative no longer counted. */
  coopNames: Map<string, string>;
  /** hrefFor is the address of the list narrowed to next. */
  hrefFor: (next: S) => string;
  onChange: (next: S) => void;
  /**
   * draft: choices change onChange only (the phone's filter sheet applies
   * them together); otherwise a facet value is a link to its narrowed list.
   */
  draft?: boolean;
  /** idPrefix keeps the ids of the panel's fields unique on the page. */
  idPrefix: string;
}

/**
 * FilterPanel narrows a product list, the same on the product list and the
 * search page: each facet lists its values with how many products have
 * them (provinces and groups take several), then the price range and the
 * in-season and in-stock switches.
 */
export function FilterPanel<S extends FilterState>({ state, facets, coopNames, hrefFor, onChange, draft = false, idPrefix }: FilterPanelProps<S>) {
  const { t } = useTranslation();
  const { provinceName } = useProvinceList();
  const { groupName } = useOcopGroups();

  const label: Record<SearchFacet, (v: SearchFacetValue) => string> = {
    province: (v) => provinceName(v.value),
    group: (v) => groupName(v.value),
    stars: (v) => t('productList.starsAtLeast', { count: Number(v.value) }),
    certification: (v) => v.value,
    cooperative: (v) => v.label ?? coopNames.get(v.value) ?? v.value,
  };

  return (
    <div className="filter-panel">
      {facetOrder.map((facet) => (
        <FacetList
          key={facet}
          facet={facet}
          idPrefix={idPrefix}
          values={facetValues(facet, facets?.[facet] ?? [], state)}
          chosen={chosenValues(state, facet)}
          multiple={multiFacets.includes(facet)}
          label={label[facet]}
          hrefFor={(value) => hrefFor(toggle(state, facet, value))}
          onPick={draft ? (value) => onChange(toggle(state, facet, value)) : undefined}
        />
      ))}
      <PriceRange state={state} onChange={onChange} idPrefix={idPrefix} live={draft} />
      <div className="filter-panel__switches">
        <label className="filter-panel__check">
          <input
            type="checkbox"
            name="in_season"
            checked={state.in_season === true}
            onChange={(e) => onChange({ ...state, in_season: e.target.checked || undefined })}
          />
          {t('productList.inSeason')}
        </label>
        <label className="filter-panel__check">
          <input
            type="checkbox"
            name="in_stock"
            checked={state.in_stock === true}
            onChange={(e) => onChange({ ...state, in_stock: e.target.checked || undefined })}
          />
          {t('searchPage.inStock')}
        </label>
      </div>
    </div>
  );
}

function FacetList({
  facet,
  idPrefix,
  values,
  chosen,
  multiple,
  label,
  hrefFor,
  onPick,
}: {
  facet: SearchFacet;
  idPrefix: string;
  values: SearchFacetValue[];
  chosen: string[];
  multiple: boolean;
  label: (value: SearchFacetValue) => string;
  hrefFor: (value: string) => string;
  onPick: ((value: string) => void) | undefined;
}) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  if (values.length === 0) return null;
  // The chosen values stay in view when the list is cut short.
  const shown = all ? values : values.filter((v, i) => i < shortList || chosen.includes(v.value));
  const titleId = `${idPrefix}-facet-${facet}-title`;
  return (
    <section className="search-facet" aria-labelledby={titleId} data-testid={`facet-${facet}`}>
      <h3 id={titleId} className="search-facet__title">
        {t(`searchPage.facet.${facet}`)}
      </h3>
      <ul className={multiple ? 'search-facet__list search-facet__list--multiple' : 'search-facet__list'}>
        {shown.map((v) => {
          const isChosen = chosen.includes(v.value);
          const pick = onPick
            ? (event: MouseEvent<HTMLAnchorElement>) => {
                event.preventDefault();
                onPick(v.value);
              }
            : undefined;
          return (
            <li key={v.value}>
              <Link
                to={hrefFor(v.value)}
                onClick={pick}
                className={isChosen ? 'search-facet__value search-facet__value--chosen' : 'search-facet__value'}
                aria-current={isChosen ? 'true' : undefined}
                data-value={v.value}
                title={isChosen ? t('searchPage.removeFilter') : undefined}
              >
                {multiple && <span className="search-facet__box" aria-hidden="true" />}
                <span className="search-facet__name">{label(v)}</span>
                <span className="search-facet__count">
                  <span className="visually-hidden">{t('searchPage.facetCount', { count: v.count })}</span>
                  <span aria-hidden="true">{v.count}</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
      {values.length > shortList && (
        <button type="button" className="search-facet__more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('searchPage.showFewer') : t('searchPage.showAll', { count: values.length })}
        </button>
      )}
    </section>
  );
}

/**
 * PriceRange is the "from – to" price filter. A list applies it with
 * "Áp dụng"; in the filter sheet (live) it joins the draft a moment after
 * the visitor stops typing, so the count follows.
 */
function PriceRange<S extends FilterState>({
  state,
  onChange,
  idPrefix,
  live,
}: {
  state: S;
  onChange: (next: S) => void;
  idPrefix: string;
  live: boolean;
}) {
  const { t } = useTranslation();
  const [min, setMin] = useState(state.min_price?.toString() ?? '');
  const [max, setMax] = useState(state.max_price?.toString() ?? '');
  // Back and forward change the URL (and "Đặt lại" the draft): the fields follow.
  useEffect(() => {
    setMin(state.min_price?.toString() ?? '');
  }, [state.min_price]);
  useEffect(() => {
    setMax(state.max_price?.toString() ?? '');
  }, [state.max_price]);

  const latest = useRef({ state, onChange });
  latest.current = { state, onChange };
  useEffect(() => {
    if (!live) return;
    const timer = window.setTimeout(() => {
      const { state: now, onChange: change } = latest.current;
      const from = toPrice(min);
      const to = toPrice(max);
      if (from !== now.min_price || to !== now.max_price) change({ ...now, min_price: from, max_price: to });
    }, 400);
    return () => window.clearTimeout(timer);
  }, [live, min, max]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChange({ ...state, min_price: toPrice(min), max_price: toPrice(max) });
  }

  const titleId = `${idPrefix}-price-title`;
  return (
    <form className="price-range-group search-facet" onSubmit={apply} aria-labelledby={titleId}>
      <h3 id={titleId} className="search-facet__title">
        {t('productList.price')}
      </h3>
      <PriceRangeInputs idPrefix={idPrefix} min={min} max={max} onMinChange={setMin} onMaxChange={setMax} />
      {!live && (
        <button type="submit" className="button button--secondary button--small">
          {t('productList.applyPrice')}
        </button>
      )}
    </form>
  );
}

/**
 * facetValues is what a facet lists. The facet of a filter in use counts
 * as if that filter were not, so the other values stay listed; a chosen
 * value is listed even when nothing has it. Stars count exact ratings but
 * filter "at least": each level shows how many have at least that many.
 */
function facetValues(facet: SearchFacet, values: SearchFacetValue[], state: FilterState): SearchFacetValue[] {
  let out = values;
  if (facet === 'stars') {
    out = [3, 4, 5]
      .map((n) => ({
        value: String(n),
        count: values.filter((v) => Number(v.value) >= n).reduce((sum, v) => sum + v.count, 0),
      }))
      .filter((v) => v.count > 0);
  }
  const missing = chosenValues(state, facet).filter((c) => !out.some((v) => v.value === c));
  return [...missing.map((value) => ({ value, count: 0 })), ...out];
}
