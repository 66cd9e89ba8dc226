import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { multiFacets, type SearchFacet, type SearchFacetValue, type SearchResult } from '../../api/search.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { joinList, searchURL, splitList, type SearchState } from './searchQuery.ts';
import { PriceRangeInputs } from '../../components/price-range/PriceRangeInputs';

/** shortList is how many values a facet shows before "Xem thêm". */
const shortList = 8;

/**
 * SearchFacets narrows the results: each facet lists the values found with
 * their counts (a link each, so the narrowed search has its own address;
 * the chosen value is marked, and choosing it again removes it), then the
 * price range and the in-season and in-stock switches. Provinces and
 * groups take several values: choosing one adds it to those chosen. On a
 * phone they fold away.
 */
export function SearchFacets({
  state,
  result,
  coopNames,
  onChange,
}: {
  state: SearchState;
  result: SearchResult | undefined;
  coopNames: Map<string, string>;
  onChange: (next: SearchState) => void;
}) {
  const { t } = useTranslation();
  const { provinceName } = useProvinceList();
  const { groupName } = useOcopGroups();
  const facets = result?.facets ?? {};

  const label: Record<SearchFacet, (v: SearchFacetValue) => string> = {
    province: (v) => provinceName(v.value),
    group: (v) => groupName(v.value),
    stars: (v) => t('productList.starsAtLeast', { count: Number(v.value) }),
    certification: (v) => v.value,
    cooperative: (v) => v.label ?? coopNames.get(v.value) ?? v.value,
  };
  const order: SearchFacet[] = ['province', 'group', 'stars', 'certification', 'cooperative'];

  return (
    <details className="search-facets product-filters" open={!isPhone()} data-testid="search-facets">
      <summary className="product-filters__summary">{t('productList.filters')}</summary>
      <div className="search-facets__body">
        {order.map((facet) => (
          <FacetList
            key={facet}
            facet={facet}
            values={facetValues(facet, facets[facet] ?? [], state)}
            chosen={chosenValues(state, facet)}
            multiple={multiFacets.includes(facet)}
            label={label[facet]}
            hrefFor={(value) => searchURL(toggle(state, facet, value))}
          />
        ))}
        <PriceRange state={state} onChange={onChange} />
        <label className="product-filters__check">
          <input
            type="checkbox"
            name="in_season"
            checked={state.in_season === true}
            onChange={(e) => onChange({ ...state, in_season: e.target.checked || undefined, page: undefined })}
          />
          {t('productList.inSeason')}
        </label>
        <label className="product-filters__check">
          <input
            type="checkbox"
            name="in_stock"
            checked={state.in_stock === true}
            onChange={(e) => onChange({ ...state, in_stock: e.target.checked || undefined, page: undefined })}
          />
          {t('searchPage.inStock')}
        </label>
      </div>
    </details>
  );
}

function FacetList({
  facet,
  values,
  chosen,
  multiple,
  label,
  hrefFor,
}: {
  facet: SearchFacet;
  values: SearchFacetValue[];
  chosen: string[];
  multiple: boolean;
  label: (value: SearchFacetValue) => string;
  hrefFor: (value: string) => string;
}) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  if (values.length === 0) return null;
  const shown = all ? values : values.slice(0, shortList);
  const titleId = `facet-${facet}-title`;
  return (
    <section className="search-facet" aria-labelledby={titleId} data-testid={`facet-${facet}`}>
      <h3 id={titleId} className="search-facet__title">
        {t(`searchPage.facet.${facet}`)}
      </h3>
      <ul className={multiple ? 'search-facet__list search-facet__list--multiple' : 'search-facet__list'}>
        {shown.map((v) => {
          const isChosen = chosen.includes(v.value);
          return (
            <li key={v.value}>
              <Link
                to={hrefFor(v.value)}
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

function PriceRange({ state, onChange }: { state: SearchState; onChange: (next: SearchState) => void }) {
  const { t } = useTranslation();
  const [min, setMin] = useState(state.min_price?.toString() ?? '');
  const [max, setMax] = useState(state.max_price?.toString() ?? '');
  // Back and forward change the URL: the fields follow it.
  useEffect(() => {
    setMin(state.min_price?.toString() ?? '');
  }, [state.min_price]);
  useEffect(() => {
    setMax(state.max_price?.toString() ?? '');
  }, [state.max_price]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChange({ ...state, min_price: toPrice(min), max_price: toPrice(max), page: undefined });
  }

  return (
    <form className="price-range-group" onSubmit={apply} aria-labelledby="search-price-title">
      <h3 id="search-price-title" className="search-facet__title">
        {t('productList.price')}
      </h3>
      <PriceRangeInputs idPrefix="search" min={min} max={max} onMinChange={setMin} onMaxChange={setMax} />
      <button type="submit" className="button button--secondary button--small">
        {t('productList.applyPrice')}
      </button>
    </form>
  );
}

/**
 * facetValues is what a facet lists. The facet of a filter in use counts
 * as if that filter were not, so the other values stay listed; a chosen
 * value is listed even when nothing has it. Stars count exact ratings but
 * filter "at least": each level shows how many have at least that many.
 */
function facetValues(facet: SearchFacet, values: SearchFacetValue[], state: SearchState): SearchFacetValue[] {
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

/** chosenValues are the values of a facet's filter in state. */
function chosenValues(state: SearchState, facet: SearchFacet): string[] {
  if (facet === 'province' || facet === 'group') return splitList(state[facet]);
  const value = state[facet];
  return value === undefined ? [] : [String(value)];
}

/**
 * toggle chooses a facet's value, or removes it when it is chosen; a value
 * of a province or group is added to those chosen. Back to the first page
 * either way.
 */
function toggle(state: SearchState, facet: SearchFacet, value: string): SearchState {
  const chosen = chosenValues(state, facet);
  const next: SearchState = { ...state, page: undefined };
  if (facet === 'province' || facet === 'group') {
    next[facet] = joinList(chosen.includes(value) ? chosen.filter((c) => c !== value) : [...chosen, value]);
  } else if (facet === 'stars') {
    next.stars = chosen.includes(value) ? undefined : Number(value);
  } else {
    next[facet] = chosen.includes(value) ? undefined : value;
  }
  return next;
}

function toPrice(text: string): number | undefined {
  const n = Number(text.replace(/[.\s]/g, ''));
  return text.trim() !== '' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function isPhone(): boolean {
  return typeof window !== 'undefined' && window.matchMedia('(max-width: 48rem)').matches;
}
