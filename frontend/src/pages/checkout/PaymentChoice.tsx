import { useTranslation } from 'react-i18next';
import { paymentMethods, type PaymentMethod } from '../../api/orders.ts';

/** PaymentChoice is how the buyer pays: cash on delivery (the default), a VietQR bank transfer, or a card. */
export function PaymentChoice({
  value,
  onChange,
  error,
}: {
  value: PaymentMethod;
  onChange: (method: PaymentMethod) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <fieldset
      className={error ? 'checkout__group checkout__group--invalid' : 'checkout__group'}
      aria-describedby={error ? 'payment-error' : undefined}
      data-testid="payment-choice"
    >
      <legend className="checkout__legend">{t('checkout.payment')}</legend>
      <div className="payment-options">
        {paymentMethods.map((m) => (
          <label key={m} className={m === value ? 'payment-option payment-option--chosen' : 'payment-option'}>
            <input
              type="radio"
              name="payment_method"
              value={m}
              checked={m === value}
              onChange={() => onChange(m)}
              aria-invalid={error ? true : undefined}
              className="payment-option__radio"
            />
            <span className="payment-option__text">
              <span className="payment-option__name">{t(`payment.${m}`)}</span>
              <span className="payment-option__hint">{t(`payment.hint.${m}`)}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id="payment-error" className="field__error" data-testid="payment-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
