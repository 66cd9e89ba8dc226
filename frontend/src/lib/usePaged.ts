import { useCallback, useEffect, useRef, useState } from 'react';

/** Page is one page of a cursor-paginated list; an empty or null next_cursor ends the list. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Paged is a list loaded page by page ("Xem thêm"). */
export interface Paged<T> {
  status: 'loading' | 'error' | 'ready';
  items: T[];
  error: unknown;
  /** moreError is the failure of the last "load more", shown beside the button. */
  moreError: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  retry: () => void;
  /** update changes the loaded items in place (after an edit). */
  update: (change: (items: T[]) => T[]) => void;
}

/**
 * usePaged loads the first page whenever key changes (aborting the previous
 * request) and appends the next page on loadMore.
 */
export function usePaged<T>(key: string, fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [status, setStatus] = useState<Paged<T>['status']>('loading');
  const [error, setError] = useState<unknown>(undefined);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [cursor, setCursor] = useState<string>('');
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const moreController = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    moreController.current?.abort();
    setStatus('loading');
    setItems([]);
    setCursor('');
    setError(undefined);
    setMoreError(undefined);
    setLoadingMore(false);
    fetchRef.current(undefined, controller.signal).then(
      (page) => {
        setItems(page.items);
        setCursor(page.next_cursor ?? '');
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

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const controller = new AbortController();
    moreController.current = controller;
    setLoadingMore(true);
    setMoreError(undefined);
    fetchRef.current(cursor, controller.signal).then(
      (page) => {
        setItems((prev) => [...prev, ...page.items]);
        setCursor(page.next_cursor ?? '');
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setMoreError(err);
        setLoadingMore(false);
      },
    );
  }, [cursor, loadingMore]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback((change: (items: T[]) => T[]) => setItems(change), []);

  return { status, items, error, moreError, hasMore: cursor !== '', loadingMore, loadMore, retry, update };
}
