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
          <p>{t('order.placedText')}</p>
        </div>
      )}
      <OrderView order={order.data} refresh={async () => replace(await getOrder(id))} />
    </div>
  );
}
