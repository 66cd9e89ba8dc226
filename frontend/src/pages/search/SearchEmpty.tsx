import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { suggest, type SearchSuggestion } from '../../api/search.ts';
import { EmptyMessage } from '../../components/status/StatusMessages.tsx';
import { hasFilters, searchURL, suggestionPath, type SearchState } from './searchQuery.ts';

/**
 * SearchEmpty says nothing was found and offers ways out: the best
 * suggestion for the words (or for fewer of them), the words without
 * diacritics, fewer words, the search without its filters.
 */
export function SearchEmpty({ state }: { state: SearchState }) {
  const { t } = useTranslation();
  const q = state.q ?? '';
  const words = q.split(/\s+/).filter(Boolean);
  const folded = fold(q);
  const top = useTopSuggestion(q);
  const filtered = hasFilters(state);

  return (
    <EmptyMessage testId="search-empty">
      <p className="search-empty__title">
        {q ? t('searchPage.emptyFor', { q }) : t('searchPage.emptyFiltered')}
      </p>
      <ul className="search-empty__tips" data-testid="search-corrections">
        {top && (
          <li>
            {t('searchPage.didYouMean')}{' '}
            <Link to={top.kind === 'product' ? searchURL({ q: top.text }) : suggestionPath(top)} data-testid="correction-suggestion">
              {top.text}
            </Link>
          </li>
        )}
        {q && folded !== q && (
          <li>
            {t('searchPage.tryWithoutDiacritics')}{' '}
            <Link to={searchURL({ ...state, q: folded, page: undefined })} data-testid="correction-folded">
              {folded}
            </Link>
          </li>
        )}
        {words.length > 1 && (
          <li>
            {t('searchPage.tryFewerWords')}{' '}
            <Link to={searchURL({ ...state, q: words.slice(0, -1).join(' '), page: undefined })} data-testid="correction-fewer">
              {words.slice(0, -1).join(' ')}
            </Link>
          </li>
        )}
        {filtered && (
          <li>
            <Link to={searchURL({ q: state.q })} data-testid="correction-no-filters">
              {t('searchPage.removeFilters')}
            </Link>
          </li>
        )}
        {q && <li>{t('searchPage.checkSpelling')}</li>}
      </ul>
    </EmptyMessage>
  );
}

/** useTopSuggestion asks for suggestions for the words, then for fewer of them, and keeps the first found. */
function useTopSuggestion(q: string): SearchSuggestion | undefined {
  const [found, setFound] = useState<{ q: string; s: SearchSuggestion | undefined }>({ q: '', s: undefined });
  useEffect(() => {
    if (!q) return;
    const controller = new AbortController();
    void (async () => {
      const words = q.split(/\s+/).filter(Boolean);
      // At most three tries: all the words, one fewer, the first.
      const tries = [...new Set([words.join(' '), words.slice(0, -1).join(' '), words[0] ?? ''])].filter(Boolean);
      for (const attempt of tries) {
        try {
          // Products come first; a limit of 1 does not keep that order, so take the first of a full list.
          const list = await suggest(attempt, controller.signal);
          const first = list.find((s) => s.kind === 'product') ?? list[0];
          if (first) {
            setFound({ q, s: first });
            return;
          }
        } catch {
          return;
        }
      }
      if (!controller.signal.aborted) setFound({ q, s: undefined });
    })();
    return () => controller.abort();
  }, [q]);
  return found.q === q ? found.s : undefined;
}

/** fold writes Vietnamese without diacritics: "Nước mắm" → "Nuoc mam". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}
