import { useTranslation } from 'react-i18next';
import { subOrderStatuses, type SubOrderStatus } from '../../api/orders.ts';
import './order-status.css';

/** isSubOrderStatus tells a known status from another string (an order's status is typed as text). */
export function isSubOrderStatus(value: string): value is SubOrderStatus {
  return (subOrderStatuses as readonly string[]).includes(value);
}

/** OrderStatusBadge says where an order or sub-order stands: Chờ thanh toán, Đang giao, Đã hủy… */
export function OrderStatusBadge({ status, testId = 'order-status' }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  const known = isSubOrderStatus(status);
  return (
    <span className={`order-status order-status--${known ? status : 'other'}`} data-testid={testId} data-status={status}>
      {known ? t(`orderStatus.${status}`) : status}
    </span>
  );
}
