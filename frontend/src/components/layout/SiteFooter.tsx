import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { orderLookupPath } from '../../cart/paths.ts';

/** SiteFooter closes every page with a short line about the marketplace and the guest's order lookup. */
export function SiteFooter() {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('admin');
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p>{t('footer.tagline', { year: new Date().getFullYear() })}</p>
        <Link to={orderLookupPath} className="site-footer__link" data-testid="footer-lookup">
          {t('footer.lookup')}
        </Link>
        <Link to="/dang-ky-hop-tac-xa" className="site-footer__link" data-testid="footer-register-coop">
          {ta('nav.registerCoop')}
        </Link>
      </div>
    </footer>
  );
}
