import { useCallback, useEffect, useState } from 'react';

/** Load is the state of one resource being fetched. */
export type Load<T> =
  | { status: 'loading'; retry: () => void }
  | { status: 'error'; error: unknown; retry: () => void }
  | { status: 'ready'; data: T; retry: () => void; replace: (data: T) => void };

/**
 * useLoad fetches one resource whenever key changes, aborting the previous
 * request; retry fetches it again and replace swaps in a newer copy (the
 * answer of an edit).
 */
export function useLoad<T>(key: string, fetcher: (signal: AbortSignal) => Promise<T>): Load<T> {
  const [state, setState] = useState<
    { key: string; status: 'loading' } | { key: string; status: 'error'; error: unknown } | { key: string; status: 'ready'; data: T }
  >({ key, status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ key, status: 'loading' });
    fetcher(controller.signal).then(
      (data) => setState({ key, status: 'ready', data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ key, status: 'error', error });
      },
    );
    return () => controller.abort();
    // fetcher is a new function on every render; key says what it fetches.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((data: T) => setState({ key, status: 'ready', data }), [key]);

  if (state.key !== key || state.status === 'loading') return { status: 'loading', retry };
  if (state.status === 'error') return { status: 'error', error: state.error, retry };
  return { status: 'ready', data: state.data, retry, replace };
}
