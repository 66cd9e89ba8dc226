// The OCOP product groups come from GET /api/v1/ocop-groups, fetched once per
// page load (they change with the programme, not with the visitor).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listOcopGroups, type OcopGroup } from '../api/ocopGroups.ts';

export type { OcopGroup };

let cached: Promise<OcopGroup[]> | undefined;

function groups(): Promise<OcopGroup[]> {
  cached ??= listOcopGroups().catch((err: unknown) => {
    cached = undefined; // the next caller tries again
    throw err;
  });
  return cached;
}

/** OcopGroups is what useOcopGroups returns. */
export interface OcopGroups {
  status: 'loading' | 'error' | 'ready';
  /** Why they could not be loaded, when status is error. */
  error?: unknown;
  /** The groups in official order; empty until they arrive or when they cannot be loaded. */
  groups: OcopGroup[];
  /** groupName names a group in the current language (its slug when unknown or not loaded yet). */
  groupName: (slug: string) => string;
  retry: () => void;
}

/** useOcopGroups returns the OCOP product groups, named in the visitor's language. */
export function useOcopGroups(): OcopGroups {
  const { i18n } = useTranslation();
  const [state, setState] = useState<{ status: 'loading' | 'error' | 'ready'; groups: OcopGroup[]; error?: unknown }>({ status: 'loading', groups: [] });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    groups().then(
      (items) => {
        if (live) setState({ status: 'ready', groups: items });
      },
      (error: unknown) => {
        if (live) setState({ status: 'error', groups: [], error });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const retry = useCallback(() => {
    setState({ status: 'loading', groups: [] });
    setAttempt((n) => n + 1);
  }, []);
  const english = i18n.resolvedLanguage === 'en';
  const groupName = (slug: string) => {
    const g = state.groups.find((x) => x.slug === slug);
    if (!g) return slug;
    return english && g.name_en ? g.name_en : g.name;
  };
  return { ...state, groupName, retry };
}
