import { useEffect, useState } from 'react';
import { listProvinces, type Province } from '../../api/provinces.ts';

// The 34 provinces change once in decades: fetch them once per page load.
let cached: Promise<Province[]> | undefined;

function provinces(): Promise<Province[]> {
  cached ??= listProvinces().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

/**
 * useProvinceList returns the provinces (empty until they arrive, or if
 * they cannot be loaded: slugs are shown instead of names then) and a
 * function naming a province by its slug.
 */
export function useProvinceList(): { provinces: Province[]; provinceName: (slug: string) => string } {
  const [list, setList] = useState<Province[]>([]);
  useEffect(() => {
    let live = true;
    provinces().then(
      (items) => {
        if (live) setList(items);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  const provinceName = (slug: string) => list.find((p) => p.slug === slug)?.name ?? slug;
  return { provinces: list, provinceName };
}
