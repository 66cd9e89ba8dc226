import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CooperativeStatusBadge } from '../../components/cooperative-status/CooperativeStatusBadge.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { formatDate, formatWhole } from '../../lib/format.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { AdminFrame } from './AdminFrame.tsx';
import { listCooperatives, type CooperativeStatus } from './adminApi.ts';
import { reviewQueuePath } from './paths.ts';

const statuses: CooperativeStatus[] = ['pending', 'verified', 'rejected'];

/** AdminCooperativesPage is /quan-tri/hop-tac-xa: every cooperative, by status, province and name or number. */
export function AdminCooperativesPage() {
  const { t } = useTranslation('admin');
  return <AdminFrame title={t('sections.coops')}>{() => <Cooperatives />}</AdminFrame>;
}

function Cooperatives() {
  const { t } = useTranslation('admin');
  const [params, setParams] = useSearchParams();
  const { provinces, provinceName } = useProvinceList();
  const requested = params.get('trang-thai') ?? '';
  const status: CooperativeStatus | '' = (statuses as string[]).includes(requested) ? (requested as CooperativeStatus) : '';
  const province = params.get('tinh') ?? '';
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const coops = usePaged(`coops:${status}:${province}:${q}`, (cursor, signal) => listCooperatives({ status, province, q }, cursor, signal));

  function set(change: { status?: string; province?: string; q?: string }) {
    const next: Record<string, string> = {};
    const s = change.status ?? status;
    const p = change.province ?? province;
    const text = change.q ?? q;
    if (s) next['trang-thai'] = s;
    if (p) next.tinh = p;
    if (text) next.q = text;
    setParams(next);
  }

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    set({ q: text.trim() });
  }

  return (
    <>
      <form className="admin-filters" role="search" onSubmit={search} data-testid="coops-filters">
        <div className="field">
          <label className="field__label" htmlFor="coops-status">
            {t('coops.status')}
          </label>
          <select id="coops-status" className="field__input field__input--select" value={status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">{t('coops.anyStatus')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`coops.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="coops-province">
            {t('coops.province')}
          </label>
          <select id="coops-province" className="field__input field__input--select" value={province} onChange={(e) => set({ province: e.target.value })}>
            <option value="">{t('coops.anyProvince')}</option>
            {provinces.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field admin-filters__grow">
          <label className="field__label" htmlFor="coops-q">
            {t('coops.search')}
          </label>
          <input id="coops-q" className="field__input" type="search" maxLength={200} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" className="button button--primary">
          {t('coops.submit')}
        </button>
      </form>
      {coops.status === 'loading' && <LoadingMessage>{t('coops.loading')}</LoadingMessage>}
      {coops.status === 'error' && <ErrorMessage title={t('coops.error')} error={coops.error} onRetry={coops.retry} />}
      {coops.status === 'ready' && coops.items.length === 0 && <EmptyMessage testId="coops-empty">{t('coops.empty')}</EmptyMessage>}
      {coops.items.length > 0 && (
        <ul className="admin-list">
          {coops.items.map((c) => (
            <li key={c.id} className="admin-card" data-testid="admin-coop" data-slug={c.slug} data-status={c.status}>
              <div className="admin-card__head">
                <h2 className="admin-card__name">{c.name}</h2>
                <CooperativeStatusBadge status={c.status} />
              </div>
              <p className="admin-card__meta">
                {[
                  provinceName(c.province),
                  c.registration_number ? `${t('coops.registration')} ${c.registration_number}` : '',
                  `${t('coops.registered')} ${formatDate(c.created_at, currentLanguage())}`,
                  `${t('coops.products')}: ${formatWhole(c.product_count)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {c.rejection_reason && <p className="admin-card__meta">{c.rejection_reason}</p>}
              <div className="admin-card__actions">
                {c.status === 'verified' ? (
                  <Link to={`/hop-tac-xa/${c.slug}`}>{t('coops.storefront')}</Link>
                ) : (
                  <Link to={c.status === 'pending' ? reviewQueuePath : `${reviewQueuePath}?status=${c.status}`}>{t('coops.review')}</Link>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <LoadMoreButton list={coops} />
    </>
  );
}
