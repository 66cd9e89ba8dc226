import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../components/form/formErrors.ts';
import type { Person } from './PeopleList.tsx';

/** Removal is the state of taking someone off a cooperative's list. */
export interface Removal<P extends Person> {
  /** error explains the last failure; empty when there was none. */
  error: string;
  /** pending is the user_id being removed, or ''. */
  pending: string;
  /** remove asks question and, once confirmed, runs the removal. */
  remove: (person: P, question: string) => Promise<void>;
}

/**
 * useRemoval asks before removing a person (a member, a delegate) and keeps
 * the server's explanation when the removal fails; action does the request.
 */
export function useRemoval<P extends Person>(action: (person: P) => Promise<void>): Removal<P> {
  const { t } = useTranslation();
  const [error, setError] = useState('');
  const [pending, setPending] = useState('');

  async function remove(person: P, question: string) {
    if (pending || !window.confirm(question)) return;
    setError('');
    setPending(person.user_id);
    try {
      await action(person);
    } catch (err) {
      setError(problemMessage(err, t));
    } finally {
      setPending('');
    }
  }

  return { error, pending, remove };
}
