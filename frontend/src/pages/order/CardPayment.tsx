// Card payment with Stripe: the order's PaymentIntent from the server, then
// Stripe.js (loaded from js.stripe.com only now, never on other pages) shows
// its Payment Element and confirms the payment, coming back to the order's
// page, which turns paid when Stripe's webhook reaches the server.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../api/orders.ts';
import { elsewhere, isCardsOff, startCardPayment, type CardPayment as Intent } from '../../api/payments.ts';
import { orderPath } from '../../cart/paths.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { formatVND } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';

// The little of Stripe.js used here (https://docs.stripe.com/js).
interface StripeElement {
  mount(el: HTMLElement): void;
  destroy(): void;
}
interface StripeElements {
  create(type: 'payment'): StripeElement;
}
interface Stripe {
  elements(options: { clientSecret: string; locale?: string }): StripeElements;
  confirmPayment(options: { elements: StripeElements; confirmParams: { return_url: string } }): Promise<{ error?: { message?: string } }>;
}
type StripeConstructor = (publishableKey: string) => Stripe;

let stripeJs: Promise<StripeConstructor> | undefined;

/** loadStripeJs adds Stripe's script tag once, when a card payment first needs it. */
function loadStripeJs(): Promise<StripeConstructor> {
  stripeJs ??= new Promise<StripeConstructor>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3';
    script.async = true;
    script.onload = () => {
      const ctor = (window as { Stripe?: StripeConstructor }).Stripe;
      if (ctor) resolve(ctor);
      else reject(new Error('Stripe.js did not load'));
    };
    script.onerror = () => {
      stripeJs = undefined; // the next attempt adds the script again
      script.remove();
      reject(new Error('Stripe.js did not load'));
    };
    document.head.append(script);
  });
  return stripeJs;
}

/** CardPayment is the "Thanh toán bằng thẻ" section of an unpaid card order. */
export function CardPayment({ order }: { order: Order }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const intent = useLoad(`card:${order.id}`, (signal) => startCardPayment(order.id, signal));
  const back = params.get('redirect_status') === 'succeeded';

  return (
    <section className="card-pay" aria-labelledby="card-pay-title" data-testid="card-payment">
      <h2 id="card-pay-title" className="card-pay__title">
        {t('cardPay.title')}
      </h2>
      {intent.status === 'loading' && <LoadingMessage>{t('cardPay.loading')}</LoadingMessage>}
      {intent.status === 'error' &&
        (isCardsOff(intent.error) ? (
          <div className="card-pay__off" role="status" data-testid="cards-off">
            <p>{intent.error.detail ?? t('cardPay.off')}</p>
            <p className="card-pay__hint">{t('cardPay.offHint')}</p>
          </div>
        ) : elsewhere(intent.error) ? (
          <p className="card-pay__hint" data-testid="payment-elsewhere">
            {t('order.payElsewhere')}
          </p>
        ) : (
          <ErrorMessage title={t('cardPay.error')} error={intent.error} onRetry={intent.retry} />
        ))}
      {intent.status === 'ready' &&
        (back || intent.data.status === 'succeeded' || intent.data.status === 'processing' ? (
          <p className="card-pay__waiting" role="status" data-testid="card-waiting">
            {t('cardPay.waiting')}
          </p>
        ) : (
          <StripeForm order={order} intent={intent.data} />
        ))}
    </section>
  );
}

/** StripeForm mounts Stripe's Payment Element and confirms the payment, which leaves for the bank's checks and comes back. */
function StripeForm({ order, intent }: { order: Order; intent: Intent }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ stripe: Stripe; elements: StripeElements } | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    let element: StripeElement | undefined;
    let cancelled = false;
    loadStripeJs().then(
      (Stripe) => {
        if (cancelled || !box.current) return;
        const s = Stripe(intent.publishable_key);
        const elements = s.elements({ clientSecret: intent.client_secret, locale: 'vi' });
        element = elements.create('payment');
        element.mount(box.current);
        stripe.current = { stripe: s, elements };
        setState('ready');
      },
      () => {
        if (!cancelled) setState('failed');
      },
    );
    return () => {
      cancelled = true;
      element?.destroy();
      stripe.current = null;
    };
  }, [intent.publishable_key, intent.client_secret]);

  async function pay(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe.current || busy) return;
    setBusy(true);
    setError('');
    const { stripe: s, elements } = stripe.current;
    const result = await s.confirmPayment({ elements, confirmParams: { return_url: window.location.origin + orderPath(order.id) } });
    // Only a failure comes back here; a success leaves the page for return_url.
    setError(result.error?.message ?? t('errors.unexpected'));
    setBusy(false);
  }

  if (state === 'failed') return <p className="card-pay__error" role="alert">{t('cardPay.noStripe')}</p>;
  return (
    <form className="card-pay__form" onSubmit={(e) => void pay(e)}>
      <div ref={box} className="card-pay__element" />
      {state === 'loading' && <LoadingMessage>{t('cardPay.loading')}</LoadingMessage>}
      {error && (
        <p className="card-pay__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={state !== 'ready' || busy} aria-busy={busy}>
        {busy ? t('cardPay.paying') : t('cardPay.pay', { amount: formatVND(intent.amount_vnd) })}
      </button>
    </form>
  );
}
