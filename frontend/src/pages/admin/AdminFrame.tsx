import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import type { User } from '../../api/identity.ts';
import { useDocumentTitle } from '../../lib/useDocumentTitle.ts';
import { adminAuditPath, adminCoopsPath, adminPath, adminSynonymsPath, adminUsersPath } from './paths.ts';
import './admin.css';

/** isAdmin tells whether an account holds the administrator role. */
export function isAdmin(user: User): boolean {
  return user.roles.includes('admin');
}

/**
 * AdminFrame is the frame of every administration page: it sends a visitor
 * to log in, tells anyone but an administrator plainly that the page is not
 * for them, and otherwise shows the page's title, the sections and the page.
 */
export function AdminFrame({ title, children }: { title: string; children: (user: User) => ReactNode }) {
  const { t } = useTranslation('admin');
  useDocumentTitle(title);
  return (
    <RequireSignIn>
      {(user) =>
        isAdmin(user) ? (
          <div className="admin">
            <p className="breadcrumb">
              <Link to={adminPath}>{t('title')}</Link>
            </p>
            <h1 className="admin__title">{title}</h1>
            <AdminNav />
            {children(user)}
          </div>
        ) : (
          <NoAccess />
        )
      }
    </RequireSignIn>
  );
}

/** NoAccess tells a signed-in user who is not an administrator that the page is not for them. */
export function NoAccess() {
  const { t } = useTranslation('admin');
  return (
    <div className="admin">
      <div className="status-message status-message--error admin__forbidden" role="alert" data-testid="admin-forbidden">
        <h1 className="status-message__title">{t('forbidden.title')}</h1>
        <p className="status-message__detail">{t('forbidden.text')}</p>
        <Link to="/" className="button button--secondary">
          {t('forbidden.home')}
        </Link>
      </div>
    </div>
  );
}

function AdminNav() {
  const { t } = useTranslation('admin');
  const cls = ({ isActive }: { isActive: boolean }) => (isActive ? 'admin-nav__link admin-nav__link--current' : 'admin-nav__link');
  return (
    <nav className="admin-nav" aria-label={t('navLabel')}>
      <NavLink to={adminUsersPath} className={cls} data-testid="admin-nav-users">
        {t('sections.users')}
      </NavLink>
      <NavLink to={adminAuditPath} className={cls} data-testid="admin-nav-audit">
        {t('sections.audit')}
      </NavLink>
      <NavLink to={adminSynonymsPath} className={cls} data-testid="admin-nav-synonyms">
        {t('sections.synonyms')}
      </NavLink>
      <NavLink to={adminCoopsPath} className={cls} data-testid="admin-nav-coops">
        {t('sections.coops')}
      </NavLink>
    </nav>
  );
}
