import { useEffect, useState } from 'react';
import { getRegistration } from '../../api/cooperatives.ts';
import { getUser } from './adminApi.ts';

// Names of the accounts and cooperatives the audit log refers to by ID,
// fetched once per page load each: a page of the log names at most a few
// dozen, and the same people recur.
const cache = new Map<string, Promise<string | null>>();

function lookup(kind: 'user' | 'coop', id: string): Promise<string | null> {
  const key = `${kind}:${id}`;
  let found = cache.get(key);
  if (!found) {
    found = (kind === 'user' ? getUser(id).then((u) => u.full_name) : getRegistration(id).then((c) => c.name)).catch(() => {
      cache.delete(key);
      return null;
    });
    cache.set(key, found);
  }
  return found;
}

/**
 * useNames returns the names of the given accounts and cooperatives as they
 * arrive, keyed "user:<id>" and "coop:<id>"; a name that cannot be fetched
 * stays missing and the page shows the ID.
 */
export function useNames(refs: { kind: 'user' | 'coop'; id: string }[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(refs.map((r) => `${r.kind}:${r.id}`))].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const ref of key ? key.split(',') : []) {
      const [kind, id] = ref.split(':') as ['user' | 'coop', string];
      void lookup(kind, id).then((name) => {
        if (live && name) setNames((prev) => (prev[ref] === name ? prev : { ...prev, [ref]: name }));
      });
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
