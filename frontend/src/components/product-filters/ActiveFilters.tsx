import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatVND } from '../../lib/format.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { useProvinceList } from '../province/useProvinceList.ts';
import { hasFilters, joinList, splitList, withoutFilters, type FilterState } from './filterState.ts';

/** ActiveFilters lists the filters in force, each province and group on its own, each with a link removing it, and one removing them all. */
export function ActiveFilters<S extends FilterState>({
  state,
  coopNames,
  hrefFor,
}: {
  state: S;
  coopNames: Map<string, string>;
  hrefFor: (next: S) => string;
}) {
  const { t } = useTranslation();
  const { provinceName } = useProvinceList();
  const { groupName } = useOcopGroups();
  if (!hasFilters(state)) return null;
  const without = (patch: Partial<FilterState>) => hrefFor({ ...state, ...patch });
  const chips: { key: string; text: string; to: string }[] = [];
  const provinces = splitList(state.province);
  for (const slug of provinces)
    chips.push({ key: `province-${slug}`, text: provinceName(slug), to: without({ province: joinList(provinces.filter((p) => p !== slug)) }) });
  const groups = splitList(state.group);
  for (const slug of groups)
    chips.push({ key: `group-${slug}`, text: groupName(slug), to: without({ group: joinList(groups.filter((g) => g !== slug)) }) });
  if (state.stars) chips.push({ key: 'stars', text: t('productList.starsAtLeast', { count: state.stars }), to: without({ stars: undefined }) });
  if (state.certification) chips.push({ key: 'certification', text: state.certification, to: without({ certification: undefined }) });
  if (state.cooperative)
    chips.push({ key: 'cooperative', text: coopNames.get(state.cooperative) ?? state.cooperative, to: without({ cooperative: undefined }) });
  if (state.min_price !== undefined || state.max_price !== undefined)
    chips.push({
      key: 'price',
      text:
        state.min_price !== undefined && state.max_price !== undefined
          ? t('searchPage.priceBetween', { min: formatVND(state.min_price), max: formatVND(state.max_price) })
          : state.min_price !== undefined
            ? t('searchPage.priceFrom', { min: formatVND(state.min_price) })
            : t('searchPage.priceTo', { max: formatVND(state.max_price ?? 0) }),
      to: without({ min_price: undefined, max_price: undefined }),
    });
  if (state.in_season) chips.push({ key: 'in_season', text: t('productList.inSeason'), to: without({ in_season: undefined }) });
  if (state.in_stock) chips.push({ key: 'in_stock', text: t('searchPage.inStock'), to: without({ in_stock: undefined }) });

  return (
    <div className="active-filters" data-testid="active-filters">
      <ul className="active-filters__list" aria-label={t('searchPage.activeFilters')}>
        {chips.map((c) => (
          <li key={c.key}>
            <Link to={c.to} className="active-filters__chip" aria-label={t('searchPage.removeNamed', { name: c.text })}>
              {c.text}
              <span aria-hidden="true" className="active-filters__x">
                ×
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <Link to={hrefFor(withoutFilters(state))} className="active-filters__clear">
        {t('productList.clear')}
      </Link>
    </div>
  );
}
