import { useTranslation } from 'react-i18next';

/** SiteFooter closes every page with a short line about the marketplace. */
export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <p className="site-footer__inner">{t('footer.tagline', { year: new Date().getFullYear() })}</p>
    </footer>
  );
}
