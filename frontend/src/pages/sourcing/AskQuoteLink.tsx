import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { newRequestPath, quoteRequestLink } from './paths.ts';

/** AskQuoteLink is "Yêu cầu báo giá" on a product page: the request form pre-filled and addressed to the product's cooperative. */
export function AskQuoteLink({ text, cooperative, unit }: { text: string; cooperative: string; unit?: string }) {
  const { t } = useTranslation('sourcing');
  return (
    <Link to={quoteRequestLink(text, cooperative, unit)} className="button" data-testid="ask-quote">
      {t('askQuote')}
    </Link>
  );
}

/** AskQuoteForSearch offers a bulk buyer, under search results, a request for quotes pre-filled with the words searched. */
export function AskQuoteForSearch({ q }: { q: string }) {
  const { t } = useTranslation('sourcing');
  const words = q.trim();
  if (!words) return null;
  return (
    <p className="ask-quote-search" data-testid="ask-quote-search">
      {t('askQuoteSearch', { q: words })}{' '}
      <Link to={`${newRequestPath}?${new URLSearchParams({ text: words }).toString()}`}>{t('askQuote')}</Link>
    </p>
  );
}
