import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { getCart, removeCartLine, setCartQuantity, type Cart, type CartLine } from '../../api/orders.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useCart } from '../../cart/CartContext.ts';
import { checkoutPath } from '../../cart/paths.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { CartGroupCard } from './CartGroupCard.tsx';
import { CartTotals } from './CartTotals.tsx';
import { CartProblems } from './CartProblems.tsx';
import './cart.css';

/**
 * CartPage is /gio-hang: the cart grouped by cooperative, each group with
 * its shipping fee, every line's quantity to change or the line to remove,
 * what is wrong with the cart, the totals and the way to checkout.
 */
export function CartPage() {
  const { t } = useTranslation();
  const shared = useCart();
  const load = useLoad('cart', (signal) => getCart(undefined, signal));
  const [pending, setPending] = useState('');
  const [lineErrors, setLineErrors] = useState<Record<string, string>>({});

  if (load.status === 'loading') {
    return (
      <div className="cart-page">
        <h1 className="cart-page__title">{t('cart.title')}</h1>
        <LoadingMessage>{t('cart.loading')}</LoadingMessage>
      </div>
    );
  }
  if (load.status === 'error') {
    return (
      <div className="cart-page">
        <h1 className="cart-page__title">{t('cart.title')}</h1>
        <ErrorMessage title={t('cart.error')} error={load.error} onRetry={load.retry} />
      </div>
    );
  }

  const cart = load.data;
  const replace = load.replace;

  async function change(line: CartLine, action: () => Promise<Cart>) {
    if (pending) return;
    setPending(line.id);
    setLineErrors(({ [line.id]: _, ...rest }) => rest);
    try {
      const next = await action();
      replace(next);
      shared.update(next);
    } catch (err) {
      setLineErrors((errs) => ({ ...errs, [line.id]: problemMessage(err, t) }));
    } finally {
      setPending('');
    }
  }

  if (cart.lines.length === 0) {
    return (
      <div className="cart-page">
        <h1 className="cart-page__title">{t('cart.title')}</h1>
        <EmptyMessage testId="cart-empty">
          <p>{t('cart.empty')}</p>
          <Link to="/san-pham" className="button button--primary">
            {t('cart.browse')}
          </Link>
        </EmptyMessage>
      </div>
    );
  }

  const blocked = cart.problems.length > 0 || cart.lines.some((l) => !l.available);
  return (
    <div className="cart-page">
      <h1 className="cart-page__title">
        {t('cart.title')} <span className="cart-page__count">{t('cart.count', { count: cart.count })}</span>
      </h1>
      <CartProblems problems={cart.problems} />
      <div className="cart-page__layout">
        <div className="cart-page__groups">
          {cart.groups.map((group) => (
            <CartGroupCard
              key={group.cooperative_id}
              group={group}
              lines={cart.lines.filter((l) => group.line_ids.includes(l.id))}
              pending={pending}
              errors={lineErrors}
              onQuantity={(line, quantity) => void change(line, () => setCartQuantity(line.id, quantity))}
              onRemove={(line) => void change(line, () => removeCartLine(line.id))}
            />
          ))}
        </div>
        <aside className="cart-summary" aria-labelledby="cart-summary-title">
          <h2 id="cart-summary-title" className="cart-summary__title">
            {t('cart.summary')}
          </h2>
          <CartTotals cart={cart} />
          <p className="cart-summary__note">{t('cart.shippingEstimate')}</p>
          {blocked ? (
            <p className="cart-summary__blocked" data-testid="checkout-blocked">
              {t('cart.fixFirst')}
            </p>
          ) : (
            <Link to={checkoutPath} className="button button--primary cart-summary__checkout" data-testid="to-checkout">
              {t('cart.checkout')}
            </Link>
          )}
          <Link to="/san-pham" className="cart-summary__more">
            {t('cart.continue')}
          </Link>
        </aside>
      </div>
    </div>
  );
}
