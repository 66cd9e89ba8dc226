import type { ReactNode } from 'react';
import { ApiError } from '../../api/client.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { formatPhone } from '../../lib/format.ts';
import type { Load } from '../../lib/useLoad.ts';

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
