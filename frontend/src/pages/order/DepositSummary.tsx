import { useTranslation } from 'react-i18next';
import type { Order, SubOrder } from '../../api/orders.ts';
import { formatVND } from '../../lib/format.ts';

/**
 * DepositSummary is the money of an order paid by deposit (đặt cọc): the
 * deposits due now, what has been paid so far, and what is still to pay
 * the cooperatives on delivery. Nothing for an order paid in full.
 */
export function DepositSummary({ order }: { order: Order }) {
  const { t } = useTranslation('deposit');
  if (order.deposit_vnd === 0) return null;
  return (
    <dl className="totals" data-testid="deposit-summary">
      <div className="totals__row">
        <dt>{t('order.deposit')}</dt>
        <dd data-testid="deposit-amount">{formatVND(order.deposit_vnd)}</dd>
      </div>
      <div className="totals__row">
        <dt>{t('order.paid')}</dt>
        <dd data-testid="deposit-paid">{formatVND(order.paid_vnd)}</dd>
      </div>
      <div className="totals__row totals__row--total">
        <dt>{t('order.balance')}</dt>
        <dd data-testid="deposit-balance">{order.balance_vnd === 0 && order.paid_vnd > 0 ? t('order.balanceDone') : formatVND(order.balance_vnd)}</dd>
      </div>
    </dl>
  );
}

/** SubOrderDeposit is one sub-order's deposit, what it received and its balance, for its buyer. */
export function SubOrderDeposit({ subOrder: so }: { subOrder: SubOrder }) {
  const { t } = useTranslation('deposit');
  if (so.deposit_vnd === 0) return null;
  return (
    <p className="sub-order__carrier" data-testid="sub-order-deposit">
      {so.balance_paid_at
        ? t('order.subDone', { deposit: formatVND(so.deposit_vnd) })
        : t('order.subDeposit', { deposit: formatVND(so.deposit_vnd), paid: formatVND(so.received_vnd), balance: formatVND(so.balance_vnd) })}
    </p>
  );
}
