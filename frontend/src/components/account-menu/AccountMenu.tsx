import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/SessionContext.ts';
import { accountPath, loginPath, registerPath } from '../../session/paths.ts';
import { myOrdersPath } from '../../cart/paths.ts';
import './account-menu.css';

/**
 * AccountMenu is the header's corner for the visitor's account: their name,
 * linking to the account page, their orders, and a log-out button; or links to log in and
 * sign up, which bring the visitor back to this page afterwards.
 */
export function AccountMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  if (session.status === 'loading') return <div className="account-menu" aria-hidden="true" />;

  if (session.status === 'anonymous') {
    const from = { from: { pathname: location.pathname, search: location.search, hash: '' } };
    return (
      <nav className="account-menu" aria-label={t('nav.label')}>
        <Link to={loginPath} state={from} className="account-menu__link" data-testid="nav-login">
          {t('nav.login')}
        </Link>
        <Link to={registerPath} state={from} className="account-menu__link account-menu__link--strong" data-testid="nav-register">
          {t('nav.register')}
        </Link>
      </nav>
    );
  }

  async function logOut() {
    setBusy(true);
    setFailed(false);
    try {
      await session.signOut();
      await navigate('/');
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  const name = session.user.full_name;
  return (
    <nav className="account-menu" aria-label={t('nav.label')}>
      <Link
        to={accountPath}
        className="account-menu__link account-menu__name"
        aria-label={t('nav.account', { name })}
        data-testid="nav-account"
      >
        <span className="account-menu__avatar" aria-hidden="true">
          {initial(name)}
        </span>
        <span className="account-menu__name-text">{name}</span>
      </Link>
      <Link to={myOrdersPath} className="account-menu__link account-menu__orders" data-testid="nav-orders">
        <span className="account-menu__orders-long">{t('nav.myOrders')}</span>
        <span className="account-menu__orders-short">{t('nav.orders')}</span>
      </Link>
      <button
        type="button"
        className="account-menu__link account-menu__logout"
        onClick={() => void logOut()}
        disabled={busy}
        data-testid="nav-logout"
      >
        {busy ? t('nav.logoutBusy') : t('nav.logout')}
      </button>
      {failed && (
        <p className="account-menu__error" role="alert">
          {t('nav.logoutFailed')}
        </p>
      )}
    </nav>
  );
}

function initial(name: string): string {
  const words = name.trim().split(/\s+/);
  // Vietnamese names end with the given name, the one people are called by.
  return (words[words.length - 1] ?? '').charAt(0).toLocaleUpperCase('vi');
}
