import { useTranslation } from 'react-i18next';
import type { OrderLine } from '../../api/orders.ts';
import { formatVND } from '../../lib/format.ts';

/** OrderLines lists what a sub-order holds: product, packaging, quantity, unit price and amount. */
export function OrderLines({ lines }: { lines: OrderLine[] }) {
  const { t } = useTranslation();
  return (
    <ul className="order-lines">
      {lines.map((l) => (
        <li key={l.id} className="order-lines__item" data-testid="order-line">
          <span className="order-lines__name">
            {l.product_name}
            <span className="order-lines__detail">
              {t('order.lineDetail', { count: l.quantity, unit: l.unit, price: formatVND(l.unit_price_vnd) })}
              {l.tier_min_qty !== null && ` · ${t('cart.tierApplied', { count: l.tier_min_qty, unit: l.unit })}`}
            </span>
          </span>
          <span className="order-lines__amount">{formatVND(l.line_vnd)}</span>
        </li>
      ))}
    </ul>
  );
}
