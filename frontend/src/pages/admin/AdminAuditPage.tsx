import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { AdminFrame } from './AdminFrame.tsx';
import { auditActions, auditLog, roleNames, type AuditAction, type AuditEntry, type RoleName } from './adminApi.ts';
import { useNames } from './names.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { adminAuditPath } from './paths.ts';

// detailKeys are the details the log names in words.
const detailKeys = ['role', 'previous_role', 'province', 'reason', 'slug', 'fields', 'resubmitted', 'applied', 'discarded', 'pending_changes'] as const;
type DetailKey = (typeof detailKeys)[number];

const uuidRE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** AdminAuditPage is /quan-tri/nhat-ky: the audit log, newest first, by action and by the person acted upon. */
export function AdminAuditPage() {
  const { t } = useTranslation('admin');
  return <AdminFrame title={t('sections.audit')}>{() => <Audit />}</AdminFrame>;
}

function Audit() {
  const { t } = useTranslation('admin');
  const [params, setParams] = useSearchParams();
  const requested = params.get('thao-tac') ?? '';
  const action: AuditAction | '' = (auditActions as readonly string[]).includes(requested) ? (requested as AuditAction) : '';
  const rawSubject = params.get('nguoi') ?? '';
  const subject = uuidRE.test(rawSubject) ? rawSubject.toLowerCase() : '';
  const log = usePaged(`audit:${action}:${subject}`, (cursor, signal) => auditLog({ action, subject }, cursor, signal));
  const names = useNames([
    ...(subject ? [{ kind: 'user' as const, id: subject }] : []),
    ...log.items.flatMap((e) => [
      ...(e.actor_id ? [{ kind: 'user' as const, id: e.actor_id }] : []),
      ...(e.subject_id ? [{ kind: 'user' as const, id: e.subject_id }] : []),
      ...(e.cooperative_id ? [{ kind: 'coop' as const, id: e.cooperative_id }] : []),
    ]),
  ]);
  const userName = (id: string) => names[`user:${id}`] ?? t('audit.unknownUser', { id: id.slice(0, 8) });
  const { provinceName } = useProvinceList();

  function setFilter(change: { action?: string; subject?: string }) {
    const next: Record<string, string> = {};
    const a = change.action ?? action;
    const s = change.subject ?? subject;
    if (a) next['thao-tac'] = a;
    if (s) next.nguoi = s;
    setParams(next);
  }

  return (
    <>
      <div className="admin-filters">
        <div className="field">
          <label className="field__label" htmlFor="audit-action">
            {t('audit.action')}
          </label>
          <select
            id="audit-action"
            className="field__input field__input--select"
            value={action}
            onChange={(e) => setFilter({ action: e.target.value })}
            data-testid="audit-action"
          >
            <option value="">{t('audit.anyAction')}</option>
            {auditActions.map((a) => (
              <option key={a} value={a}>
                {t(`audit.actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {subject && (
        <p className="admin-filter-chip" data-testid="audit-subject">
          <span className="chip">{t('audit.subject', { name: userName(subject) })}</span>
          <Link to={action ? `${adminAuditPath}?thao-tac=${action}` : adminAuditPath}>{t('audit.clearSubject')}</Link>
        </p>
      )}
      {log.status === 'loading' && <LoadingMessage>{t('audit.loading')}</LoadingMessage>}
      {log.status === 'error' && <ErrorMessage title={t('audit.error')} error={log.error} onRetry={log.retry} />}
      {log.status === 'ready' && log.items.length === 0 && <EmptyMessage testId="audit-empty">{t('audit.empty')}</EmptyMessage>}
      {log.items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table admin-audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.what')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.whom')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((e) => (
                <AuditRow key={e.id} entry={e} userName={userName} coopName={(id) => names[`coop:${id}`]} provinceName={provinceName} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMoreButton list={log} />
    </>
  );
}

function AuditRow({
  entry,
  userName,
  coopName,
  provinceName,
}: {
  entry: AuditEntry;
  userName: (id: string) => string;
  coopName: (id: string) => string | undefined;
  provinceName: (slug: string) => string;
}) {
  const { t } = useTranslation('admin');
  const known = (auditActions as readonly string[]).includes(entry.action);
  const roleLabel = (v: string) => ((roleNames as readonly string[]).includes(v) ? t(`roles.${v as RoleName}`) : v);
  const value = (key: string, v: unknown): string => {
    if (typeof v === 'boolean') return v ? t('audit.yes') : t('audit.no');
    if (typeof v === 'string' && key === 'province') return provinceName(v);
    return describe(key, v, roleLabel);
  };
  const details = Object.entries(entry.details)
    .map(([k, v]) => `${(detailKeys as readonly string[]).includes(k) ? t(`audit.detailKeys.${k as DetailKey}`) : k}: ${value(k, v)}`)
    .join(' · ');
  return (
    <tr data-testid="audit-entry" data-action={entry.action}>
      <td className="admin-audit__when">{formatDateTime(entry.created_at, currentLanguage())}</td>
      <th scope="row">{known ? t(`audit.actions.${entry.action as AuditAction}`) : entry.action}</th>
      <td>{entry.actor_id ? userName(entry.actor_id) : t('audit.system')}</td>
      <td>
        {[
          entry.subject_id ? userName(entry.subject_id) : '',
          entry.cooperative_id ? (coopName(entry.cooperative_id) ?? t('audit.coop', { id: entry.cooperative_id.slice(0, 8) })) : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </td>
      <td className="admin-audit__details">
        {details}
        {entry.ip && <span> · IP {entry.ip}</span>}
      </td>
    </tr>
  );
}

// describe writes one detail of an entry for people: role names translated, lists joined.
function describe(key: string, value: unknown, roleLabel: (v: string) => string): string {
  if (Array.isArray(value)) return value.map((v) => describe(key, v, roleLabel)).join(', ');
  if (typeof value === 'string') return key.endsWith('role') ? roleLabel(value) : value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k} → ${describe(k, v, roleLabel)}`)
      .join(', ');
  }
  return value == null ? '' : JSON.stringify(value);
}
