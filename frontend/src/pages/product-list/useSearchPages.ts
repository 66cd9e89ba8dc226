import { useCallback, useEffect, useRef, useState } from 'react';
import { searchProducts, type SearchHit, type SearchParams, type SearchResult } from '../../api/search.ts';
import { maxPage } from '../search/searchQuery.ts';

/** SearchPages is a list of search hits loaded a page at a time ("Xem thêm"), with the first page's count and facets. */
export interface SearchPages {
  status: 'loading' | 'error' | 'ready';
  /** first is the answer of the first page: total and facets. */
  first: SearchResult | undefined;
  hits: SearchHit[];
  error: unknown;
  moreError: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  retry: () => void;
}

/**
 * useSearchPages runs a search whenever key changes (aborting the previous
 * one) and appends the next page on loadMore, until the hits or the pages
 * the API serves run out.
 */
export function useSearchPages(key: string, params: Omit<SearchParams, 'page'>): SearchPages {
  const [first, setFirst] = useState<SearchResult | undefined>(undefined);
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [status, setStatus] = useState<SearchPages['status']>('loading');
  const [error, setError] = useState<unknown>(undefined);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [page, setPage] = useState(1);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const moreController = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    moreController.current?.abort();
    setStatus('loading');
    setError(undefined);
    setMoreError(undefined);
    setLoadingMore(false);
    searchProducts({ ...paramsRef.current, page: 1 }, controller.signal).then(
      (res) => {
        setFirst(res);
        setHits(res.hits);
        setPage(1);
        setStatus('ready');
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setStatus('error');
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const perPage = first?.per_page ?? 1;
  const hasMore = status === 'ready' && first !== undefined && page < maxPage && page * perPage < first.total;

  const loadMore = useCallback(() => {
    if (!hasMore || loadingMore) return;
    const controller = new AbortController();
    moreController.current = controller;
    setLoadingMore(true);
    setMoreError(undefined);
    searchProducts({ ...paramsRef.current, page: page + 1 }, controller.signal).then(
      (res) => {
        // A product can move between pages while the visitor reads: keep each once.
        setHits((prev) => {
          const seen = new Set(prev.map((h) => h.id));
          return [...prev, ...res.hits.filter((h) => !seen.has(h.id))];
        });
        setPage(page + 1);
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setMoreError(err);
        setLoadingMore(false);
      },
    );
  }, [hasMore, loadingMore, page]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { status, first, hits, error, moreError, hasMore, loadingMore, loadMore, retry };
}
