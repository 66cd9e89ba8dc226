import { useEffect, useState } from 'react';
import { suggest, type SearchSuggestion } from '../../api/search.ts';

/** debounceMs is how long typing must pause before suggestions are asked for. */
const debounceMs = 150;

// Recent answers, so that typing back and forth does not ask again.
const cache = new Map<string, SearchSuggestion[]>();
const cacheSize = 50;

/**
 * useSuggestions returns the suggestions for text once typing has paused
 * for 150 ms: the previous list stays while the next is on its way, a
 * request overtaken by newer typing is cancelled, and failures just show
 * nothing (the search itself still works).
 */
export function useSuggestions(text: string): { suggestions: SearchSuggestion[]; forText: string } {
  const q = text.trim();
  const [state, setState] = useState<{ forText: string; suggestions: SearchSuggestion[] }>({ forText: '', suggestions: [] });

  useEffect(() => {
    if (q === '') {
      setState({ forText: '', suggestions: [] });
      return;
    }
    const cached = cache.get(q);
    if (cached) {
      setState({ forText: q, suggestions: cached });
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      suggest(q, controller.signal).then(
        (suggestions) => {
          if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
          cache.set(q, suggestions);
          setState({ forText: q, suggestions });
        },
        () => {
          if (!controller.signal.aborted) setState({ forText: q, suggestions: [] });
        },
      );
    }, debounceMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  return q === '' ? { suggestions: [], forText: '' } : state;
}
