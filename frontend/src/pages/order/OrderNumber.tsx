import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** OrderNumber shows the order's number large, with a button to copy it. */
export function OrderNumber({ number }: { number: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(number);
      setCopied(true);
    } catch {
      // Without the clipboard (an insecure page, a refusal) the number stays selectable.
      setCopied(false);
    }
  }
  return (
    <div className="order-number">
      <p className="order-number__label">{t('order.number')}</p>
      <p className="order-number__value">
        <span data-testid="order-number">{number}</span>
        <button type="button" className="button button--secondary button--small" onClick={() => void copy()} data-testid="copy-number">
          {copied ? t('order.copied') : t('order.copy')}
        </button>
      </p>
    </div>
  );
}
