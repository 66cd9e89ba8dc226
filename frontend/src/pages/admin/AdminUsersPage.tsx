import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { formatDate, formatPhone } from '../../lib/format.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { AdminFrame } from './AdminFrame.tsx';
import { Confirm } from './Confirm.tsx';
import { globalRoles, grantRole, listUsers, revokeRole, type AdminUser, type GlobalRole } from './adminApi.ts';
import { adminAuditPath } from './paths.ts';

const filterRoles = ['consumer', 'wholesaler', 'coop_manager', 'coop_staff', 'trade_staff', 'admin'] as const;
type FilterRole = (typeof filterRoles)[number];

/** AdminUsersPage is /quan-tri/nguoi-dung: administrators find accounts and grant or revoke their roles. */
export function AdminUsersPage() {
  const { t } = useTranslation('admin');
  return <AdminFrame title={t('sections.users')}>{(me) => <Users meID={me.id} />}</AdminFrame>;
}

function Users({ meID }: { meID: string }) {
  const { t } = useTranslation('admin');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const requested = params.get('vai-tro') ?? '';
  const role: FilterRole | '' = (filterRoles as readonly string[]).includes(requested) ? (requested as FilterRole) : '';
  const [text, setText] = useState(q);
  const [roleChoice, setRoleChoice] = useState<string>(role);
  const users = usePaged(`users:${q}:${role}`, (cursor, signal) => listUsers({ q, role }, cursor, signal));

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (text.trim()) next.q = text.trim();
    if (roleChoice) next['vai-tro'] = roleChoice;
    setParams(next);
  }

  return (
    <>
      <form className="admin-filters" role="search" onSubmit={search} data-testid="users-search">
        <div className="field admin-filters__grow">
          <label className="field__label" htmlFor="users-q">
            {t('users.search')}
          </label>
          <input
            id="users-q"
            className="field__input"
            type="search"
            maxLength={200}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="users-role">
            {t('users.role')}
          </label>
          <select id="users-role" className="field__input field__input--select" value={roleChoice} onChange={(e) => setRoleChoice(e.target.value)}>
            <option value="">{t('users.anyRole')}</option>
            {filterRoles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary">
          {t('users.submit')}
        </button>
      </form>
      {users.status === 'loading' && <LoadingMessage>{t('users.loading')}</LoadingMessage>}
      {users.status === 'error' && <ErrorMessage title={t('users.error')} error={users.error} onRetry={users.retry} />}
      {users.status === 'ready' && users.items.length === 0 && <EmptyMessage testId="users-empty">{t('users.empty')}</EmptyMessage>}
      {users.items.length > 0 && (
        <ul className="admin-list">
          {users.items.map((u) => (
            <UserItem
              key={u.id}
              user={u}
              self={u.id === meID}
              onChange={(changed) => users.update((items) => items.map((x) => (x.id === changed.id ? changed : x)))}
            />
          ))}
        </ul>
      )}
      <LoadMoreButton list={users} />
    </>
  );
}

type Pending = { kind: 'grant'; role: GlobalRole; province: string } | { kind: 'revoke'; role: GlobalRole };

/** UserItem is one account: who it is, its roles and memberships, and the panel that changes its roles. */
function UserItem({ user, self, onChange }: { user: AdminUser; self: boolean; onChange: (u: AdminUser) => void }) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { provinces, provinceName } = useProvinceList();
  const [open, setOpen] = useState(false);
  const missing = globalRoles.filter((r) => !user.roles.includes(r));
  const [newRole, setNewRole] = useState<GlobalRole | ''>('');
  const [province, setProvince] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const name = user.full_name;
  const roleName = (r: string) => t(`roles.${r}` as 'roles.admin');

  async function run(p: Pending) {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const changed = p.kind === 'grant' ? await grantRole(user.id, p.role, p.province || undefined) : await revokeRole(user.id, p.role);
      onChange(changed);
      setDone(t(p.kind === 'grant' ? 'users.granted' : 'users.revoked', { role: roleName(p.role), name }));
      setNewRole('');
      setProvince('');
    } catch (err) {
      setError(problemMessage(err, tc));
    } finally {
      setBusy(false);
      setPending(null);
    }
  }

  function question(p: Pending): string {
    if (p.kind === 'revoke') return t('users.confirmRevoke', { role: roleName(p.role), name });
    if (p.province) return t('users.confirmGrantProvince', { role: roleName(p.role), province: provinceName(p.province), name });
    return t('users.confirmGrant', { role: roleName(p.role), name });
  }

  const contact = [user.email, user.phone ? formatPhone(user.phone) : ''].filter(Boolean).join(' · ');
  return (
    <li className="admin-card" data-testid="user-item" data-email={user.email ?? ''}>
      <div className="admin-card__head">
        <h2 className="admin-card__name">{name}</h2>
        <span className="admin-card__meta">{t('users.since', { date: formatDate(user.created_at, currentLanguage()) })}</span>
      </div>
      <p className="admin-card__meta">{contact || t('users.noContact')}</p>
      <ul className="chips" aria-label={t('users.role')} data-testid="user-roles">
        {user.roles.map((r) => (
          <li key={r} className="chip" data-role={r}>
            {roleName(r)}
            {r === 'trade_staff' && ` · ${user.trade_province ? provinceName(user.trade_province) : t('users.nationwide')}`}
            {open && (
              <button
                type="button"
                className="admin-chip-button"
                aria-label={t('users.revoke', { role: roleName(r) })}
                disabled={busy}
                onClick={() => setPending({ kind: 'revoke', role: r })}
                data-testid={`revoke-${r}`}
              >
                ×
              </button>
            )}
          </li>
        ))}
        {user.memberships.map((m) => (
          <li key={m.cooperative_id} className="chip chip--good">
            {t('users.memberOf', { role: roleName(m.role), coop: m.cooperative_name })}
          </li>
        ))}
      </ul>
      <div className="admin-card__actions">
        <button
          type="button"
          className="button button--secondary button--small"
          aria-expanded={open}
          onClick={() => {
            setOpen(!open);
            setPending(null);
          }}
          data-testid="change-roles"
        >
          {open ? t('users.close') : t('users.changeRoles')}
        </button>
        <Link to={`${adminAuditPath}?nguoi=${encodeURIComponent(user.id)}`} data-testid="user-audit">
          {t('users.auditLink')}
        </Link>
      </div>
      {done && <FormMessage tone="success">{done}</FormMessage>}
      {error && <FormMessage tone="error">{error}</FormMessage>}
      {open && (
        <div className="admin-card__panel">
          {missing.length > 0 && !pending && (
            <form
              className="admin-filters"
              onSubmit={(e) => {
                e.preventDefault();
                if (newRole) setPending({ kind: 'grant', role: newRole, province: newRole === 'trade_staff' ? province : '' });
              }}
            >
              <div className="field">
                <label className="field__label" htmlFor={`add-role-${user.id}`}>
                  {t('users.addRole')}
                </label>
                <select
                  id={`add-role-${user.id}`}
                  className="field__input field__input--select"
                  value={newRole}
                  onChange={(e) => setNewRole(e.target.value as GlobalRole | '')}
                  data-testid="add-role"
                >
                  <option value="" />
                  {missing.map((r) => (
                    <option key={r} value={r}>
                      {roleName(r)}
                    </option>
                  ))}
                </select>
              </div>
              {newRole === 'trade_staff' && (
                <div className="field">
                  <label className="field__label" htmlFor={`role-province-${user.id}`}>
                    {t('users.province')}
                  </label>
                  <select
                    id={`role-province-${user.id}`}
                    className="field__input field__input--select"
                    value={province}
                    onChange={(e) => setProvince(e.target.value)}
                    data-testid="role-province"
                  >
                    <option value="">{t('users.national')}</option>
                    {provinces.map((p) => (
                      <option key={p.slug} value={p.slug}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <button type="submit" className="button button--primary button--small" disabled={!newRole || busy} data-testid="grant-role">
                {t('users.grant')}
              </button>
            </form>
          )}
          {pending && (
            <Confirm
              question={question(pending)}
              yes={pending.kind === 'grant' ? t('users.grant') : t('users.revoke', { role: roleName(pending.role) })}
              no={t('review.cancel')}
              danger={pending.kind === 'revoke' || (pending.role === 'admin' && !self)}
              busy={busy}
              onYes={() => void run(pending)}
              onNo={() => setPending(null)}
              testId="role-confirm"
            />
          )}
        </div>
      )}
    </li>
  );
}
