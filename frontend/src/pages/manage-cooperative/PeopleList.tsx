import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { cancelInvitation, listInvitations, type CooperativeInvitation } from '../../api/invitations.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate, formatPhone } from '../../lib/format.ts';
import { useLoad, type Load } from '../../lib/useLoad.ts';

/** Person is someone who works for a cooperative (a member, a delegate), as the API lists them. */
export interface Person {
  user_id: string;
  full_name: string;
  email?: string;
  phone?: string;
}

/**
 * PeopleList lists the people of a cooperative, each with their name and
 * contact, a badge saying what they do there, an optional line of detail,
 * and the action the viewer may take on them (none when action gives null).
 */
export function PeopleList<P extends Person>({
  people,
  testId,
  badge,
  detail,
  action,
}: {
  people: P[];
  testId: string;
  badge: (person: P) => string;
  detail?: (person: P) => string;
  action?: (person: P) => ReactNode;
}) {
  return (
    <ul className="member-list" data-testid={testId}>
      {people.map((p) => (
        <li key={p.user_id} className="member-list__item" data-testid={`${testId}-item`}>
          <div>
            <p className="member-list__name">{p.full_name}</p>
            <p className="member-list__contact">{[p.email, p.phone ? formatPhone(p.phone) : ''].filter(Boolean).join(' · ')}</p>
            {detail && <p className="member-list__contact">{detail(p)}</p>}
          </div>
          <span className="chip">{badge(p)}</span>
          {action?.(p)}
        </li>
      ))}
    </ul>
  );
}

/** RemoveButton is a person's small red button; label names the person for screen readers. */
export function RemoveButton({
  children,
  label,
  busy,
  onClick,
}: {
  children: string;
  label: string;
  busy: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="button button--danger button--small"
      onClick={onClick}
      disabled={busy}
      aria-label={label}
    >
      {children}
    </button>
  );
}

/**
 * hiddenFromViewer tells whether the server keeps a cooperative's list of
 * people from the viewer. The dashboard has loaded the cooperative, so a 404
 * here is the server hiding the list from someone outside it, like a 403.
 */
export function hiddenFromViewer<T>(load: Load<T>): boolean {
  return load.status === 'error' && load.error instanceof ApiError && (load.error.status === 403 || load.error.status === 404);
}

/**
 * PeopleListStatus says where a list of people stands while there is no list
 * to show: loading, kept from the viewer (a calm note, not an error), failed
 * (with a retry), or empty. The notes' test ids are testId-forbidden and
 * testId-empty.
 */
export function PeopleListStatus<P extends Person>({
  load,
  testId,
  messages,
}: {
  load: Load<P[]>;
  testId: string;
  messages: { loading: string; forbidden: string; error: string; empty: string };
}) {
  if (load.status === 'loading') return <LoadingMessage>{messages.loading}</LoadingMessage>;
  if (hiddenFromViewer(load)) return <EmptyMessage testId={`${testId}-forbidden`}>{messages.forbidden}</EmptyMessage>;
  if (load.status === 'error') return <ErrorMessage title={messages.error} error={load.error} onRetry={load.retry} />;
  if (load.data.length === 0) return <EmptyMessage testId={`${testId}-empty`}>{messages.empty}</EmptyMessage>;
  return null;
}

/**
 * PendingInvitations lists a cooperative's unanswered invitations of one
 * kind (members or delegates) to its managers, each with what it offers,
 * when it expires and a button to withdraw it. version changes when the
 * panel sends a new invitation, to read the list again; onCancelled tells
 * the panel what was withdrawn. Nothing shows while there is none.
 */
export function PendingInvitations({
  coop,
  kind,
  version,
  onCancelled,
}: {
  coop: string;
  kind: CooperativeInvitation['kind'];
  version: number;
  onCancelled: (login: string) => void;
}) {
  const { t } = useTranslation('members');
  const invitations = useLoad(`invitations:${coop}:${version}`, (signal) => listInvitations(coop, signal));
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const { t: tc } = useTranslation();

  if (invitations.status !== 'ready') return null;
  const mine = invitations.data.filter((i) => i.kind === kind);
  if (mine.length === 0) return null;

  async function cancel(inv: CooperativeInvitation) {
    if (busy || !window.confirm(t('pending.confirmCancel', { login: inv.login }))) return;
    setBusy(inv.id);
    setError('');
    try {
      await cancelInvitation(coop, inv.id);
      if (invitations.status === 'ready') invitations.replace(invitations.data.filter((i) => i.id !== inv.id));
      onCancelled(inv.login);
    } catch (err) {
      setError(problemMessage(err, tc));
    } finally {
      setBusy('');
    }
  }

  return (
    <div className="pending-invitations" data-testid={`${kind}-invitations`}>
      <h3 className="dashboard__subheading">{t('pending.title')}</h3>
      {error && <FormMessage tone="error">{error}</FormMessage>}
      <ul className="member-list">
        {mine.map((inv) => (
          <li key={inv.id} className="member-list__item" data-testid={`${kind}-invitations-item`}>
            <div>
              <p className="member-list__name">{inv.login}</p>
              <p className="member-list__contact">{t('pending.expires', { date: formatDate(inv.expires_at, currentLanguage()) })}</p>
            </div>
            <span className="chip">
              {inv.kind === 'member' && inv.role ? t('pending.member', { role: t(`roles.${inv.role}`) }) : t('pending.delegate')}
            </span>
            <RemoveButton label={t('pending.cancelNamed', { login: inv.login })} busy={busy === inv.id} onClick={() => void cancel(inv)}>
              {t('pending.cancel')}
            </RemoveButton>
          </li>
        ))}
      </ul>
    </div>
  );
}
