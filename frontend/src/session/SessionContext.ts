import { createContext, useContext } from 'react';
import type { User } from '../api/identity.ts';

/** SessionState is who is using the site, once GET /me has answered. */
export type SessionState =
  | { status: 'loading' }
  /** signedOut: the user has just logged out here (not merely never logged in). */
  | { status: 'anonymous'; signedOut?: boolean }
  | { status: 'signed-in'; user: User };

/** Session is the current visitor and the ways to change who it is. */
export type Session = SessionState & {
  /** signedIn records the user a log-in or registration returned. */
  signedIn: (user: User) => void;
  /** signOut ends the session on the server and here. */
  signOut: () => Promise<void>;
  /** reload asks the server again who is signed in (after a password reset, say). */
  reload: () => void;
};

export const SessionContext = createContext<Session | null>(null);

/** useSession returns the current session; it must be used inside SessionProvider. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
