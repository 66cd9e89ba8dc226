import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { currentUser, logout, type User } from '../api/identity.ts';
import { SessionContext, type Session, type SessionState } from './SessionContext.ts';

/**
 * SessionProvider loads the signed-in user once (GET /api/v1/me; 401 means
 * anonymous) and shares it with every page. A failure to reach the server
 * counts as anonymous: public pages still work, and a retry happens on the
 * next reload.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    currentUser(controller.signal).then(
      (user) => setState(user ? { status: 'signed-in', user } : { status: 'anonymous' }),
      () => {
        if (!controller.signal.aborted) setState({ status: 'anonymous' });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const signedIn = useCallback((user: User) => setState({ status: 'signed-in', user }), []);
  const signOut = useCallback(async () => {
    await logout();
    setState({ status: 'anonymous', signedOut: true });
  }, []);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const session = useMemo<Session>(
    () => ({ ...state, signedIn, signOut, reload }),
    [state, signedIn, signOut, reload],
  );
  return <SessionContext value={session}>{children}</SessionContext>;
}
