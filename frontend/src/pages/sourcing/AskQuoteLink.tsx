import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { quoteRequestLink } from './paths.ts';

/** AskQuoteLink is "Yêu cầu báo giá" on a product page: the request form pre-filled and addressed to the product's cooperative. */
export function AskQuoteLink({ text, cooperative, unit }: { text: string; cooperative: string; unit?: string }) {
  const { t } = useTranslation('sourcing');
  return (
    <Link to={quoteRequestLink(text, cooperative, unit)} className="button" data-testid="ask-quote">
      {t('askQuote')}
    </Link>
  );
}
