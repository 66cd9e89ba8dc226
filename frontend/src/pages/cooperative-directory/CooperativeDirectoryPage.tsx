import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listCooperatives, type CooperativeStorefront } from '../../api/cooperatives.ts';
import { SelectField } from '../../components/form/SelectField.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { usePaged } from '../../lib/usePaged.ts';
import './cooperative-directory.css';

/** CooperativeDirectoryPage is /hop-tac-xa: verified cooperatives, filtered by province and product group in the URL. */
export function CooperativeDirectoryPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { provinces, provinceName } = useProvinceList();
  const ocopGroups = useOcopGroups();
  const province = params.get('province') ?? '';
  const group = params.get('group') ?? '';
  const coops = usePaged(`${province}|${group}`, (cursor, signal) =>
    listCooperatives({ province: province || undefined, group: group || undefined }, cursor, signal),
  );

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  return (
    <div className="directory">
      <h1 className="directory__title">{t('directory.title')}</h1>
      <p className="directory__intro">{t('directory.intro')}</p>
      <div className="directory__filters" role="group" aria-label={t('directory.filters')}>
        <SelectField
          id="directory-province"
          name="province"
          label={t('productList.province')}
          placeholder={t('productList.all')}
          value={province}
          options={provinces.map((p) => ({ value: p.slug, label: p.name }))}
          onChange={(v) => set('province', v)}
        />
        <SelectField
          id="directory-group"
          name="group"
          label={t('productList.group')}
          placeholder={t('productList.all')}
          value={group}
          options={ocopGroups.groups.map((g) => ({ value: g.slug, label: ocopGroups.groupName(g.slug) }))}
          onChange={(v) => set('group', v)}
        />
      </div>
      {coops.status === 'loading' && <LoadingMessage>{t('directory.loading')}</LoadingMessage>}
      {coops.status === 'error' && <ErrorMessage title={t('directory.error')} error={coops.error} onRetry={coops.retry} />}
      {coops.status === 'ready' && coops.items.length === 0 && (
        <EmptyMessage testId="directory-empty">{t('directory.empty')}</EmptyMessage>
      )}
      {coops.items.length > 0 && (
        <ul className="directory__list">
          {coops.items.map((c) => (
            <CooperativeItem key={c.id} coop={c} provinceName={provinceName(c.province)} groupName={ocopGroups.groupName} />
          ))}
        </ul>
      )}
      <LoadMoreButton list={coops} />
    </div>
  );
}

/** CooperativeItem is one cooperative of the directory: name, place, groups and product counts. */
function CooperativeItem({ coop, provinceName, groupName }: { coop: CooperativeStorefront; provinceName: string; groupName: (slug: string) => string }) {
  const { t } = useTranslation();
  return (
    <li className="directory-item" data-testid="cooperative-item">
      <h2 className="directory-item__name">
        <Link to={`/hop-tac-xa/${coop.slug}`} className="directory-item__link">
          {coop.name}
        </Link>
      </h2>
      <p className="directory-item__place">{[coop.commune, provinceName].filter(Boolean).join(', ')}</p>
      <p className="directory-item__counts">
        {t('directory.products', { count: coop.product_count })}
        {coop.ocop_product_count > 0 && ` · ${t('directory.ocopProducts', { count: coop.ocop_product_count })}`}
      </p>
      {coop.product_groups.length > 0 && (
        <ul className="chips">
          {coop.product_groups.map((g) => (
            <li key={g} className="chip">
              {groupName(g)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
