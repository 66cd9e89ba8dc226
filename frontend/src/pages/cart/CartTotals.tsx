import { useTranslation } from 'react-i18next';
import type { Cart } from '../../api/orders.ts';
import { formatVND } from '../../lib/format.ts';

/** CartTotals is the money of a cart: goods, shipping (every cooperative's fee added up) and the total. */
export function CartTotals({ cart }: { cart: Pick<Cart, 'items_vnd' | 'shipping_vnd' | 'total_vnd'> }) {
  const { t } = useTranslation();
  return (
    <dl className="totals" data-testid="cart-totals">
      <div className="totals__row">
        <dt>{t('cart.items')}</dt>
        <dd data-testid="totals-items">{formatVND(cart.items_vnd)}</dd>
      </div>
      <div className="totals__row">
        <dt>{t('cart.shipping')}</dt>
        <dd data-testid="totals-shipping">{cart.shipping_vnd === 0 ? t('cart.free') : formatVND(cart.shipping_vnd)}</dd>
      </div>
      <div className="totals__row totals__row--total">
        <dt>{t('cart.total')}</dt>
        <dd data-testid="totals-total">{formatVND(cart.total_vnd)}</dd>
      </div>
    </dl>
  );
}
