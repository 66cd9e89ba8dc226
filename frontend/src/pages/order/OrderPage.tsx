import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { getOrder } from '../../api/orders.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { orderLookupPath } from '../../cart/paths.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { OrderView } from './OrderView.tsx';
import './order.css';

/** pollMs is how often an unpaid order is fetched again. */
const pollMs = 10_000;

/**
 * OrderPage is /don-hang/:id, the order's own page and, right after
 * checkout, its confirmation: the number to keep, where each cooperative's
 * part of it stands, and what the buyer may do now.
 */
export function OrderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  // "Đặt hàng thành công" greets the buyer once: a reload or a later visit shows the order alone.
  const [placed] = useState(() => (location.state as { placed?: boolean } | null)?.placed === true);
  useEffect(() => {
    if (placed) void navigate('.', { replace: true, state: null });
  }, [placed, navigate]);
  const order = useLoad(`order:${id}`, (signal) => getOrder(id, signal));
  // While it waits for a transfer or a card, the order is fetched every 10 s,
  // so it turns "Đã xác nhận" by itself once the money arrives.
  const awaiting = order.status === 'ready' && order.data.payment_status === 'unpaid' && order.data.payment_method !== 'cod';
  const replaceOrder = order.status === 'ready' ? order.replace : undefined;
  useEffect(() => {
    if (!awaiting || !replaceOrder) return;
    const controller = new AbortController();
    const timer = window.setInterval(() => {
      if (document.hidden) return;
      getOrder(id, controller.signal).then(replaceOrder, () => {
        // A missed poll is made up by the next one.
      });
    }, pollMs);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, [id, awaiting, replaceOrder]);

  if (order.status === 'loading') {
    return (
      <div className="order-page">
        <LoadingMessage>{t('order.loading')}</LoadingMessage>
      </div>
    );
  }
  if (order.status === 'error') {
    const missing = order.error instanceof ApiError && order.error.status === 404;
    return (
      <div className="order-page">
        {missing ? (
          <div className="status-message" data-testid="order-missing">
            <h1 className="order-page__title">{t('order.missing')}</h1>
            <p>{t('order.missingHint')}</p>
            <Link to={orderLookupPath}>{t('lookup.title')}</Link>
          </div>
        ) : (
          <ErrorMessage title={t('order.error')} error={order.error} onRetry={order.retry} />
        )}
      </div>
    );
  }

  const replace = order.replace;
  return (
    <div className="order-page">
      {placed && (
        <div className="order-page__placed" role="status" data-testid="order-placed">
          <p className="order-page__placed-title">{t('order.placed')}</p>
          <p>
            {order.data.payment_status !== 'unpaid'
              ? t('order.placedText')
              : order.data.payment_method === 'bank_transfer'
                ? t('order.placedBank')
                : t('order.placedCard')}
          </p>
        </div>
      )}
      <OrderView order={order.data} refresh={async () => replace(await getOrder(id))} />
    </div>
  );
}
