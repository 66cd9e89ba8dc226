import { NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/SessionContext.ts';
import './main-nav.css';

/**
 * MainNav is the header's site navigation: products and cooperatives for
 * everyone, "Quản lý" for members of a cooperative, "Duyệt HTX" for trade
 * staff and admins.
 */
export function MainNav() {
  const { t } = useTranslation();
  const session = useSession();
  const user = session.status === 'signed-in' ? session.user : null;
  const manages = user !== null && user.memberships.length > 0;
  const reviews = user !== null && (user.roles.includes('trade_staff') || user.roles.includes('admin'));
  const sources = user !== null && user.roles.includes('wholesaler');
  const { t: ts } = useTranslation('sourcing');
  const cls = ({ isActive }: { isActive: boolean }) => (isActive ? 'main-nav__link main-nav__link--current' : 'main-nav__link');
  return (
    <nav className="main-nav" aria-label={t('nav.main')}>
      <NavLink to="/san-pham" className={cls} data-testid="nav-products">
        {t('nav.products')}
      </NavLink>
      <NavLink to="/hop-tac-xa" className={cls} data-testid="nav-cooperatives">
        {t('nav.cooperatives')}
      </NavLink>
      {manages && (
        <NavLink to="/quan-ly" className={cls} data-testid="nav-manage">
          {t('nav.manage')}
        </NavLink>
      )}
      {sources && (
        <NavLink to="/nguon-hang" className={cls} data-testid="nav-sourcing">
          {ts('nav')}
        </NavLink>
      )}
      {reviews && (
        <NavLink to="/duyet-hop-tac-xa" className={cls} data-testid="nav-review">
          {t('nav.review')}
        </NavLink>
      )}
    </nav>
  );
}
