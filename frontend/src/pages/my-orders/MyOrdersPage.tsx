import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listMyOrders, type Order } from '../../api/orders.ts';
import { OrderStatusBadge } from '../../components/order-status/OrderStatusBadge.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { orderPath } from '../../cart/paths.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDateTime, formatVND } from '../../lib/format.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import './my-orders.css';

/** MyOrdersPage is /don-hang: the signed-in buyer's orders, newest first, ten at a time. */
export function MyOrdersPage() {
  return <RequireSignIn>{(user) => <OrderList userID={user.id} />}</RequireSignIn>;
}

function OrderList({ userID }: { userID: string }) {
  const { t } = useTranslation();
  const orders = usePaged(`orders:${userID}`, (cursor, signal) => listMyOrders(cursor, signal));
  return (
    <div className="my-orders">
      <h1 className="my-orders__title">{t('myOrders.title')}</h1>
      {orders.status === 'loading' && <LoadingMessage>{t('myOrders.loading')}</LoadingMessage>}
      {orders.status === 'error' && <ErrorMessage title={t('myOrders.error')} error={orders.error} onRetry={orders.retry} />}
      {orders.status === 'ready' && orders.items.length === 0 && (
        <EmptyMessage testId="my-orders-empty">
          <p>{t('myOrders.empty')}</p>
          <Link to="/san-pham" className="button button--primary">
            {t('cart.browse')}
          </Link>
        </EmptyMessage>
      )}
      {orders.items.length > 0 && (
        <ul className="my-orders__list">
          {orders.items.map((o) => (
            <OrderRow key={o.id} order={o} />
          ))}
        </ul>
      )}
      <LoadMoreButton list={orders} />
    </div>
  );
}

function OrderRow({ order }: { order: Order }) {
  const { t } = useTranslation();
  const units = order.sub_orders.reduce((n, so) => n + so.lines.reduce((m, l) => m + l.quantity, 0), 0);
  return (
    <li className="my-orders__item" data-testid="my-order" data-number={order.number}>
      <div className="my-orders__main">
        <Link to={orderPath(order.id)} className="my-orders__number">
          {order.number}
        </Link>
        <p className="my-orders__meta">
          {formatDateTime(order.created_at, currentLanguage())} · {t('myOrders.units', { count: units })}
        </p>
        <p className="my-orders__coops">{order.sub_orders.map((so) => so.cooperative_name).join(', ')}</p>
      </div>
      <div className="my-orders__side">
        <OrderStatusBadge status={order.status} />
        <strong>{formatVND(order.total_vnd)}</strong>
      </div>
    </li>
  );
}
