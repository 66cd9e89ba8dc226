import { useCallback, useSyncExternalStore } from 'react';

/**
 * useMediaQuery tells whether a CSS media query matches, and re-renders
 * when that changes. It reads the answer while rendering, so the first
 * paint already has the right layout.
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** phoneQuery is the width below which lists put their filters in a bottom sheet. */
export const phoneQuery = '(max-width: 48rem)';
