import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { AccountMenu } from '../account-menu/AccountMenu.tsx';
import { CartLink } from '../cart-link/CartLink.tsx';
import { LanguageSwitch } from '../language-switch/LanguageSwitch.tsx';
import { MainNav } from '../main-nav/MainNav.tsx';
import { SearchBox } from '../search-box/SearchBox.tsx';

/**
 * SiteHeader shows the brand, linking home, the site's sections, the product
 * search, the visitor's account, the cart and the language switch. It stays
 * at the top of the screen as the page scrolls (the search and the cart do;
 * layout.css places each item, on a phone and on a wide screen).
 */
export function SiteHeader() {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('admin');
  return (
    <header className="site-header">
      <div className="site-header__inner">
        {/* The thin strip: sections on the left, the visitor's account and the language on the right. */}
        <div className="site-header__strip">
          <MainNav />
          <div className="site-header__end">
            <Link to="/dang-ky-hop-tac-xa" className="site-header__coop-link" data-testid="header-register-coop">
              {ta('nav.registerCoopShort')}
            </Link>
            <AccountMenu />
            <LanguageSwitch />
          </div>
        </div>
        <Link to="/" className="site-header__brand" aria-label={t('app.homeLink')}>
          <span className="site-header__logo" aria-hidden="true" />
          {t('app.brand')}
        </Link>
        <SearchBox variant="header" />
        <CartLink />
      </div>
    </header>
  );
}
