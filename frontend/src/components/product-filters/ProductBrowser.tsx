import type { ReactNode } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchResult } from '../../api/search.ts';
import { phoneQuery, useMediaQuery } from '../../lib/useMediaQuery.ts';
import { ActiveFilters } from './ActiveFilters.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { FilterSheet } from './FilterSheet.tsx';
import type { FilterState } from './filterState.ts';
import './product-filters.css';

export interface ProductBrowserProps<S extends FilterState> {
  title: string;
  titleTestId: string;
  /** countText says how many products the filters leave ('' while unknown). */
  countText: string;
  countTestId: string;
  /** sort is the order picker, beside the phone's filter button. */
  sort: ReactNode;
  state: S;
  q: string | undefined;
  /** result is the answer for state, or the previous one while it loads: its facets count. */
  result: SearchResult | undefined;
  coopNames: Map<string, string>;
  hrefFor: (next: S) => string;
  onChange: (next: S) => void;
  filtersTestId: string;
  /** children are the results. */
  children: ReactNode;
}

/**
 * ProductBrowser is the frame the product list and the search results
 * share: the title and how many products there are, the order, the filters
 * in use, and the filters themselves, beside the results on a wide screen
 * and in a bottom sheet on a phone.
 */
export function ProductBrowser<S extends FilterState>(props: ProductBrowserProps<S>) {
  const { t } = useTranslation();
  const phone = useMediaQuery(phoneQuery);
  const filtersTitle = useId();
  const { state, q, result, coopNames, hrefFor, onChange } = props;
  return (
    <div className="browse">
      <div className="browse__header">
        <div className="browse__heading">
          <h1 className="browse__title" data-testid={props.titleTestId}>
            {props.title}
          </h1>
          <p className="browse__count" role="status" data-testid={props.countTestId}>
            {props.countText}
          </p>
        </div>
        <div className="browse__toolbar">
          {phone && <FilterSheet state={state} q={q} result={result} coopNames={coopNames} hrefFor={hrefFor} onApply={onChange} />}
          {props.sort}
        </div>
      </div>
      <ActiveFilters state={state} coopNames={coopNames} hrefFor={hrefFor} />
      <div className="browse__layout">
        {!phone && (
          <aside className="browse__filters" aria-labelledby={filtersTitle} data-testid={props.filtersTestId}>
            <h2 id={filtersTitle} className="browse__filters-title">
              {t('filters.title')}
            </h2>
            <FilterPanel state={state} facets={result?.facets} coopNames={coopNames} hrefFor={hrefFor} onChange={onChange} idPrefix="filters" />
          </aside>
        )}
        {props.children}
      </div>
    </div>
  );
}
