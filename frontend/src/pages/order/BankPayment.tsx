import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../api/orders.ts';
import { elsewhere, getBankTransfers, type BankTransfers } from '../../api/payments.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { PaymentCountdown } from './PaymentCountdown.tsx';
import { TransferCard } from './TransferCard.tsx';

/**
 * BankPayment is the VietQR payment screen of an unpaid bank-transfer
 * order: the time left to pay, and one transfer per cooperative, each to
 * its own account. The transfers are fetched again when a part of the
 * order changes (a cooperative confirmed, a short amount arrived), keeping
 * the codes on screen meanwhile.
 */
export function BankPayment({ order }: { order: Order }) {
  const { t } = useTranslation();
  const parts = order.sub_orders.map((so) => `${so.id}:${so.status}:${so.received_vnd}`).join(',');
  const load = useLoad(`bank:${order.id}:${parts}`, (signal) => getBankTransfers(order.id, signal));
  const last = useRef<BankTransfers | undefined>(undefined);
  if (load.status === 'ready') last.current = load.data;
  const data = load.status === 'ready' ? load.data : last.current;
  const deadline = data?.payment_deadline ?? order.payment_deadline;
  const count = order.sub_orders.length;

  return (
    <section className="bank-pay" aria-labelledby="bank-pay-title" data-testid="bank-payment">
      <h2 id="bank-pay-title" className="bank-pay__title">
        {t('bankPay.title')}
      </h2>
      {deadline && <PaymentCountdown deadline={deadline} />}
      <p className="bank-pay__intro">{count > 1 ? t('bankPay.introMany', { count }) : t('bankPay.intro')}</p>
      {data ? (
        <div className="bank-pay__transfers">
          {data.transfers.map((tr) => (
            <TransferCard key={tr.sub_order_id} transfer={tr} />
          ))}
        </div>
      ) : load.status === 'error' ? (
        elsewhere(load.error) ? (
          <p className="bank-pay__intro" data-testid="payment-elsewhere">
            {t('order.payElsewhere')}
          </p>
        ) : (
          <ErrorMessage title={t('bankPay.error')} error={load.error} onRetry={load.retry} />
        )
      ) : (
        <LoadingMessage>{t('bankPay.loading')}</LoadingMessage>
      )}
      <p className="bank-pay__auto">{t('bankPay.autoUpdate')}</p>
    </section>
  );
}
