import { useCallback, useEffect, useState } from 'react';
import { listProvinces, type Province } from '../../api/provinces.ts';

/** ProvincesState is what the province section can show. */
export type ProvincesState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; provinces: Province[] };

/** useProvinces loads the province list and offers a retry after a failure. */
export function useProvinces(): ProvincesState & { retry: () => void } {
  const [state, setState] = useState<ProvincesState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    listProvinces(controller.signal).then(
      (provinces) => setState({ status: 'ready', provinces }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
