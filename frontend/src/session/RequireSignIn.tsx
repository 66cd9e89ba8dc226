import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from './SessionContext.ts';
import type { User } from '../api/identity.ts';
import { loginPath } from './paths.ts';

/**
 * RequireSignIn shows its page to a signed-in user and sends anyone else to
 * the log-in page, which brings them back here afterwards (or, right after
 * logging out, home).
 */
export function RequireSignIn({ children }: { children: (user: User) => ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') {
    return (
      <p className="page-status" role="status">
        {t('session.loading')}
      </p>
    );
  }
  if (session.status === 'anonymous') {
    // Someone who has just logged out does not want to log in again.
    if (session.signedOut) return <Navigate to="/" replace />;
    return <Navigate to={loginPath} replace state={{ from: location }} />;
  }
  return children(session.user);
}
