import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SubOrder } from '../../api/orders.ts';
import { OrderStatusBadge } from '../../components/order-status/OrderStatusBadge.tsx';
import { formatVND } from '../../lib/format.ts';
import { OrderLines } from './OrderLines.tsx';
import { LineTraceLinks } from '../batches/LineTraceLinks.tsx';
import { OrderTimeline } from './OrderTimeline.tsx';
import { BuyerMoves } from './BuyerMoves.tsx';
import { SubOrderDeposit } from './DepositSummary.tsx';

/** SubOrderCard is one cooperative's part of an order, as its buyer sees it. */
export function SubOrderCard({ subOrder: so, refresh }: { subOrder: SubOrder; refresh: () => Promise<void> }) {
  const { t } = useTranslation();
  return (
    <section className="sub-order" aria-labelledby={`so-${so.id}`} data-testid="sub-order" data-coop={so.cooperative_slug} data-status={so.status}>
      <header className="sub-order__head">
        <div>
          <h3 id={`so-${so.id}`} className="sub-order__coop">
            <Link to={`/hop-tac-xa/${so.cooperative_slug}`}>{so.cooperative_name}</Link>
          </h3>
          <p className="sub-order__number">{so.number}</p>
        </div>
        <OrderStatusBadge status={so.status} testId="sub-order-status" />
      </header>
      <OrderLines lines={so.lines} />
      <LineTraceLinks lines={so.lines} />
      <dl className="sub-order__money">
        <div>
          <dt>{t('cart.groupShipping')}</dt>
          <dd>{so.shipping_vnd === 0 ? t('cart.free') : formatVND(so.shipping_vnd)}</dd>
        </div>
        <div>
          <dt>{t('order.subTotal')}</dt>
          <dd>{formatVND(so.total_vnd)}</dd>
        </div>
      </dl>
      <SubOrderDeposit subOrder={so} />
      {so.carrier && (
        <p className="sub-order__carrier" data-testid="sub-order-carrier">
          {so.tracking_code
            ? t('order.carrierTracking', { carrier: so.carrier, code: so.tracking_code })
            : t('order.carrier', { carrier: so.carrier })}
        </p>
      )}
      <OrderTimeline events={so.timeline} />
      <BuyerMoves subOrder={so} refresh={refresh} />
    </section>
  );
}
