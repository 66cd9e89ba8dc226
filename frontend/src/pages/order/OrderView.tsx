import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../api/orders.ts';
import { OrderStatusBadge } from '../../components/order-status/OrderStatusBadge.tsx';
import { orderLookupPath } from '../../cart/paths.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { CartTotals } from '../cart/CartTotals.tsx';
import { BankPayment } from './BankPayment.tsx';
import { CardPayment } from './CardPayment.tsx';
import { DepositSummary } from './DepositSummary.tsx';
import { OrderNumber } from './OrderNumber.tsx';
import { SubOrderCard } from './SubOrderCard.tsx';

/**
 * OrderView shows an order to its buyer: the number, the status, payment,
 * the address, and each cooperative's sub-order with its lines, timeline
 * and the moves the buyer may make. refresh fetches the order again after
 * a move.
 */
export function OrderView({
  order,
  refresh,
  nested = false,
}: {
  order: Order;
  refresh: () => Promise<void>;
  /** nested: the order is part of another page (the lookup), so its title is no h1. */
  nested?: boolean;
}) {
  const { t } = useTranslation();
  const { t: td } = useTranslation('deposit');
  const language = currentLanguage();
  const a = order.shipping_address;
  const unpaid = order.payment_status === 'unpaid' && order.sub_orders.some((so) => so.status === 'pending_payment');
  const bank = unpaid && order.payment_method === 'bank_transfer';
  const card = unpaid && order.payment_method === 'card';
  const waiting = order.status === 'pending_payment' && order.payment_deadline && !bank;
  const Title = nested ? 'h2' : 'h1';
  return (
    <article className="order" aria-labelledby="order-title" data-testid="order" data-number={order.number}>
      <header className="order__head">
        <Title id="order-title" className="order__title">
          {t('order.title')}
        </Title>
        <OrderNumber number={order.number} />
        <div className="order__status-line">
          <OrderStatusBadge status={order.status} />
          <span className="order__date">{t('order.placedAt', { date: formatDateTime(order.created_at, language) })}</span>
        </div>
      </header>

      {order.guest && (
        <p className="order__guest-note" data-testid="guest-note">
          {t('order.guestNote', { number: order.number, phone: a.phone })}{' '}
          <Link to={orderLookupPath}>{t('lookup.title')}</Link>
        </p>
      )}
      {waiting && (
        <p className="order__waiting" data-testid="payment-waiting">
          {t('order.payBefore', { date: formatDateTime(order.payment_deadline ?? '', language) })}
        </p>
      )}
      {bank && <BankPayment order={order} />}
      {card && <CardPayment order={order} />}

      <div className="order__facts">
        <section className="order__box" aria-labelledby="order-address-title">
          <h2 id="order-address-title" className="order__box-title">
            {t('order.deliverTo')}
          </h2>
          <p className="order__address" data-testid="order-address">
            <strong>{a.recipient}</strong> · {a.phone}
            <br />
            {a.street}, {a.commune}, {order.province_name}
          </p>
          {order.note && <p className="order__note">{t('order.note', { note: order.note })}</p>}
        </section>
        <section className="order__box" aria-labelledby="order-pay-title">
          <h2 id="order-pay-title" className="order__box-title">
            {t('order.payment')}
          </h2>
          <p data-testid="order-payment">
            {t(`payment.${order.payment_method}`)}
            {order.payment_status === 'deposit_paid'
              ? ` · ${td('status.deposit_paid')}`
              : order.payment_status !== 'cod' && ` · ${t(`paymentStatus.${order.payment_status}`)}`}
          </p>
          <CartTotals cart={order} />
          <DepositSummary order={order} />
        </section>
      </div>

      <h2 className="order__parts-title">
        {t('order.parts', { count: order.sub_orders.length })}
      </h2>
      <p className="order__parts-hint">{t('order.partsHint')}</p>
      <div className="order__parts">
        {order.sub_orders.map((so) => (
          <SubOrderCard key={so.id} subOrder={so} refresh={refresh} />
        ))}
      </div>
    </article>
  );
}
