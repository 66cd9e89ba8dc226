import { useTranslation } from 'react-i18next';
import { CopyButton } from './CopyButton.tsx';

/** OrderNumber shows the order's number large, with a button to copy it. */
export function OrderNumber({ number }: { number: string }) {
  const { t } = useTranslation();
  return (
    <div className="order-number">
      <p className="order-number__label">{t('order.number')}</p>
      <p className="order-number__value">
        <span data-testid="order-number">{number}</span>
        <CopyButton text={number} testId="copy-number" />
      </p>
    </div>
  );
}
