import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** titleSuffix ends every page's title, as the server writes it too (internal/seo). */
export const titleSuffix = ' – HTX Market';

/**
 * useDocumentTitle names the browser tab after what the page shows:
 * "<title> – HTX Market". While the page does not know its title yet
 * (undefined: still loading) the tab keeps the one it has, which on a first
 * visit is the one the server wrote; leaving the page gives the tab back the
 * site's title.
 */
export function useDocumentTitle(title: string | undefined): void {
  const { t, i18n } = useTranslation();
  const siteTitle = t('app.documentTitle');
  useEffect(() => {
    if (title === undefined) return;
    document.title = `${title}${titleSuffix}`;
    return () => {
      document.title = siteTitle;
    };
    // The language: switching it resets the title (i18n/index.ts), which is then set again.
  }, [title, siteTitle, i18n.language]);
}
