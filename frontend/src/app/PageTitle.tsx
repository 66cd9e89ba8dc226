import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../lib/useDocumentTitle.ts';

/** The titles of pages named by their address alone. */
type TitleKey = 'home.title' | 'productList.title' | 'directory.title' | 'notFound.title';

/**
 * PageTitle names the browser tab for a page whose title follows from its
 * route (App puts it beside the page); pages that learn their title from what
 * they load (a product, a cooperative) call useDocumentTitle themselves. The
 * server writes the same titles into the HTML (internal/seo).
 */
export function PageTitle({ title }: { title: TitleKey }) {
  const { t } = useTranslation();
  useDocumentTitle(t(title));
  return null;
}

/** SearchTitle names the tab after the words searched for: "Tìm kiếm: bưởi – HTX Market". */
export function SearchTitle() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q')?.trim();
  useDocumentTitle(q ? t('searchPage.documentTitle', { q }) : t('searchPage.title'));
  return null;
}
