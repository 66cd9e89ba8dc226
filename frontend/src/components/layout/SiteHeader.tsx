import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { AccountMenu } from '../account-menu/AccountMenu.tsx';
import { CartLink } from '../cart-link/CartLink.tsx';
import { LanguageSwitch } from '../language-switch/LanguageSwitch.tsx';
import { MainNav } from '../main-nav/MainNav.tsx';
import { SearchBox } from '../search-box/SearchBox.tsx';

/**
 * SiteHeader shows the brand, linking home, the site's sections, the product
 * search, the visitor's account, the cart and the language switch. On the home page the
 * hero has its own search box, so on a phone the header's is hidden there (by
 * CSS, from the route known at render: nothing moves after the first paint).
 */
export function SiteHeader() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <header className={pathname === '/' ? 'site-header site-header--home' : 'site-header'}>
      <div className="site-header__inner">
        <Link to="/" className="site-header__brand" aria-label={t('app.homeLink')}>
          <span className="site-header__logo" aria-hidden="true" />
          {t('app.brand')}
        </Link>
        <MainNav />
        <SearchBox variant="header" />
        {/* The visitor's corner wraps as one, under the search when a line is too short. */}
        <div className="site-header__end">
          <AccountMenu />
          <CartLink />
          <LanguageSwitch />
        </div>
      </div>
    </header>
  );
}
