import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/SessionContext.ts';
import { accountPath, loginPath, registerPath } from '../../session/paths.ts';
import { myOrdersPath } from '../../cart/paths.ts';
import { adminPath, reviewQueuePath } from '../../pages/admin/paths.ts';
import './account-menu.css';

/**
 * AccountMenu is the header's corner for the visitor's account: their name,
 * linking to the account page, their orders, the administration (administrators),
 * the review queue (trade staff), registering a cooperative, and a log-out button; or links to log in and
 * sign up, which bring the visitor back to this page afterwards. On a narrow
 * screen the orders and the log-out fold behind a button beside the name.
 */
export function AccountMenu() {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('admin');
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  const moreId = useId();
  const root = useRef<HTMLElement>(null);

  // The folded menu closes when the page changes, on Escape and on a tap elsewhere.
  useEffect(() => {
    setOpen(false);
  }, [location.key]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

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
    <nav className="account-menu" aria-label={t('nav.label')} ref={root}>
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
      <button
        type="button"
        className="account-menu__toggle"
        aria-expanded={open}
        aria-controls={moreId}
        aria-label={t('nav.accountMenu')}
        onClick={() => setOpen(!open)}
        data-testid="nav-account-menu"
      >
        <span className="account-menu__caret" aria-hidden="true" />
      </button>
      <div id={moreId} className={open ? 'account-menu__more account-menu__more--open' : 'account-menu__more'}>
        {session.user.roles.includes('admin') && (
          <Link to={adminPath} className="account-menu__link" data-testid="nav-admin">
            {ta('nav.admin')}
          </Link>
        )}
        {/* The main navigation names the review queue on a wide screen; the folded menu names it on a phone. */}
        {(session.user.roles.includes('trade_staff') || session.user.roles.includes('admin')) && (
          <Link to={reviewQueuePath} className="account-menu__link account-menu__folded-only" data-testid="nav-menu-review">
            {ta('nav.review')}
          </Link>
        )}
        <Link to="/dang-ky-hop-tac-xa" className="account-menu__link account-menu__folded-only" data-testid="nav-menu-register-coop">
          {ta('nav.registerCoop')}
        </Link>
        <Link to={myOrdersPath} className="account-menu__link account-menu__orders" data-testid="nav-orders">
          {t('nav.myOrders')}
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
      </div>
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
