import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchProducts, type SearchResult } from '../../api/search.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { FilterPanel } from './FilterPanel.tsx';
import { filterCount, hasFilters, onlyFilters, withoutFilters, writeFilters, type FilterState } from './filterState.ts';

export interface FilterSheetProps<S extends FilterState> {
  state: S;
  /** q is the words searched for, if any: the live count counts within them. */
  q: string | undefined;
  /** result is the answer for state (the previous one while it loads), whose count the sheet starts from. */
  result: SearchResult | undefined;
  coopNames: Map<string, string>;
  hrefFor: (next: S) => string;
  onApply: (next: S) => void;
}

/**
 * FilterSheet is the phone's way to the filters: a "Bộ lọc" button that
 * opens them in a sheet from the bottom of the screen. Choices there are a
 * draft: the sheet asks how many products they leave and says so on its
 * button, "Xem N kết quả", which applies them all at once.
 */
export function FilterSheet<S extends FilterState>(props: FilterSheetProps<S>) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const count = filterCount(props.state);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        className="filter-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
        data-testid="filter-open"
      >
        <svg className="filter-button__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M4 6h16M7 12h10M10 18h4" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
        </svg>
        {t('filters.open')}
        {count > 0 && (
          <>
            <span className="filter-button__count" aria-hidden="true">
              {count}
            </span>
            <span className="visually-hidden">{t('filters.chosen', { count })}</span>
          </>
        )}
      </button>
      {open && (
        <SheetDialog
          {...props}
          onApply={(next) => {
            props.onApply(next);
            close();
          }}
          onClose={close}
        />
      )}
    </>
  );
}

function SheetDialog<S extends FilterState>({ state, q, result, coopNames, hrefFor, onApply, onClose }: FilterSheetProps<S> & { onClose: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<S>(state);
  const preview = usePreview(q, draft, state, result);

  // A modal dialog: the page behind is inert, Escape closes it.
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const total = preview.total;
  return (
    <dialog
      ref={dialog}
      className="filter-sheet"
      aria-labelledby={titleId}
      data-testid="filter-sheet"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A tap on the dimmed page around the sheet closes it.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="filter-sheet__sheet">
        <div className="filter-sheet__header">
          <h2 id={titleId} className="filter-sheet__title">
            {t('filters.title')}
          </h2>
          <button type="button" className="filter-sheet__close" onClick={onClose} aria-label={t('filters.close')}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <div className="filter-sheet__body">
          <FilterPanel
            state={draft}
            facets={preview.facets}
            coopNames={coopNames}
            hrefFor={hrefFor}
            onChange={setDraft}
            draft
            idPrefix="sheet"
          />
        </div>
        <div className="filter-sheet__footer">
          <button
            type="button"
            className="button button--secondary filter-sheet__reset"
            onClick={() => setDraft(withoutFilters(draft))}
            disabled={!hasFilters(draft)}
          >
            {t('filters.reset')}
          </button>
          <button
            type="button"
            className="button button--primary filter-sheet__apply"
            onClick={() => onApply(draft)}
            aria-busy={preview.loading}
            data-testid="filter-sheet-apply"
            data-count={total}
          >
            {total === undefined ? t('filters.showResults') : t('filters.showCount', { count: total })}
          </button>
        </div>
      </div>
    </dialog>
  );
}

/**
 * usePreview is the answer for the draft: the page's own while the draft
 * is what the page shows, else a one-hit search that counts. The last
 * facets stay while the next answer is on its way; the count is only
 * given once it is known.
 */
function usePreview<S extends FilterState>(
  q: string | undefined,
  draft: S,
  applied: S,
  result: SearchResult | undefined,
): { facets: SearchResult['facets'] | undefined; total: number | undefined; loading: boolean } {
  const key = filterKey(q, draft);
  const same = key === filterKey(q, applied);
  const load = useLoad(same ? '' : key, (signal) =>
    same ? Promise.resolve(undefined) : searchProducts({ q, ...onlyFilters(draft), per_page: 1 }, signal),
  );
  const facets = useRef<SearchResult['facets'] | undefined>(result?.facets);
  if (same) {
    facets.current = result?.facets;
    return { facets: facets.current, total: result?.total, loading: false };
  }
  if (load.status === 'ready' && load.data) {
    facets.current = load.data.facets;
    return { facets: facets.current, total: load.data.total, loading: false };
  }
  return { facets: facets.current, total: undefined, loading: load.status === 'loading' };
}

function filterKey(q: string | undefined, state: FilterState): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  writeFilters(state, params);
  return params.toString();
}
