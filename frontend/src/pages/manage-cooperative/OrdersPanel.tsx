import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listCoopSubOrders, subOrderStatuses, type SubOrderStatus } from '../../api/orders.ts';
import { SelectField } from '../../components/form/SelectField.tsx';
import { isSubOrderStatus } from '../../components/order-status/OrderStatusBadge.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { usePaged } from '../../lib/usePaged.ts';
import { CoopSubOrderCard } from './CoopSubOrderCard.tsx';
import '../order/order.css';

/** The filter's statuses, those needing work first. */
const filterOrder: SubOrderStatus[] = ['confirmed', 'packed', 'shipped', 'delivered', 'completed', 'pending_payment', 'cancelled', 'refunded'];

/**
 * OrdersPanel is the cooperative's share of the orders: its sub-orders,
 * newest first, of one status if chosen (?trang-thai=), each with what to
 * send where and the moves the member may make (pack, ship with a carrier
 * and tracking code), and its packing slip to print.
 */
export function OrdersPanel({ coop }: { coop: string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('trang-thai') ?? '';
  const status = isSubOrderStatus(requested) ? requested : undefined;
  const list = usePaged(`coop-orders:${coop}:${status ?? ''}`, (cursor, signal) => listCoopSubOrders(coop, status, cursor, signal));

  function filter(value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set('trang-thai', value);
    else next.delete('trang-thai');
    setParams(next, { replace: true });
  }

  return (
    <section className="dashboard__panel" aria-labelledby="orders-title">
      <div className="dashboard__panel-head">
        <h2 id="orders-title" className="dashboard__heading">
          {t('coopOrders.title')}
        </h2>
        <div className="coop-orders__filter">
          <SelectField
            id="coop-orders-status"
            name="status"
            label={t('coopOrders.filter')}
            placeholder={t('productList.all')}
            value={status ?? ''}
            options={filterOrder
              .filter((s) => subOrderStatuses.includes(s))
              .map((s) => ({ value: s, label: t(`orderStatus.${s}`) }))}
            onChange={filter}
          />
        </div>
      </div>
      {list.status === 'loading' && <LoadingMessage>{t('coopOrders.loading')}</LoadingMessage>}
      {list.status === 'error' && <ErrorMessage title={t('coopOrders.error')} error={list.error} onRetry={list.retry} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <EmptyMessage testId="coop-orders-empty">{status ? t('coopOrders.emptyStatus') : t('coopOrders.empty')}</EmptyMessage>
      )}
      {list.items.length > 0 && (
        <div className="coop-orders" data-testid="coop-orders">
          {list.items.map((so) => (
            <CoopSubOrderCard
              key={so.id}
              coop={coop}
              subOrder={so}
              onChanged={(next) => list.update((items) => items.map((i) => (i.id === next.id ? next : i)))}
            />
          ))}
        </div>
      )}
      <LoadMoreButton list={list} />
    </section>
  );
}
