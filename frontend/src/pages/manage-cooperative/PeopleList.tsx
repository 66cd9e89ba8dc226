import type { ReactNode } from 'react';
import { formatPhone } from '../../lib/format.ts';

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
