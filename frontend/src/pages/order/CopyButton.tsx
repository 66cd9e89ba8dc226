import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * CopyButton copies a value (an account number, a transfer's content) to
 * the clipboard and says "Đã sao chép" for a moment. label names what it
 * copies for screen readers ("Sao chép số tài khoản").
 */
export function CopyButton({ text, label, testId }: { text: string; label?: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2500);
    return () => window.clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // Without the clipboard (an insecure page, a refusal) the text stays selectable.
      setCopied(false);
    }
  }
  return (
    <button
      type="button"
      className="button button--secondary button--small copy-button"
      onClick={() => void copy()}
      aria-label={label}
      data-testid={testId}
    >
      <span aria-live="polite">{copied ? t('order.copied') : t('order.copy')}</span>
    </button>
  );
}
