import { useTranslation } from 'react-i18next';
import type { Cart } from '../../api/orders.ts';
import { formatVND } from '../../lib/format.ts';
import { CartTotals } from '../cart/CartTotals.tsx';

/**
 * CheckoutSummary is the order about to be placed: each cooperative's
 * goods and its shipping fee to the province chosen (or, before one is
 * chosen, inside the cooperative's own province), then the totals.
 */
export function CheckoutSummary({ cart, updating }: { cart: Cart; updating: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={updating ? 'checkout-summary checkout-summary--updating' : 'checkout-summary'} aria-busy={updating} data-testid="checkout-summary">
      {cart.groups.map((g) => (
        <section key={g.cooperative_id} className="checkout-summary__group" data-testid="summary-group">
          <h3 className="checkout-summary__coop">{g.cooperative_name}</h3>
          <ul className="checkout-summary__lines">
            {cart.lines
              .filter((l) => g.line_ids.includes(l.id))
              .map((l) => (
                <li key={l.id}>
                  <span>
                    {l.product_name} <span className="checkout-summary__qty">× {l.quantity} {l.unit}</span>
                  </span>
                  <span>{formatVND(l.line_vnd)}</span>
                </li>
              ))}
            <li className="checkout-summary__shipping">
              <span>{t('cart.groupShipping')}</span>
              <span data-testid="summary-shipping">{g.shipping_vnd === 0 ? t('cart.free') : formatVND(g.shipping_vnd)}</span>
            </li>
          </ul>
        </section>
      ))}
      <CartTotals cart={cart} />
      <p className="cart-summary__note">{cart.ship_to ? t('checkout.shippingTo') : t('checkout.shippingChoose')}</p>
    </div>
  );
}
