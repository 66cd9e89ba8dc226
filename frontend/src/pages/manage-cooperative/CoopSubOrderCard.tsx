import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { getSubOrder, isPaymentMethod, moveSubOrder, type Move, type SubOrder, type SubOrderStatus } from '../../api/orders.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { OrderStatusBadge } from '../../components/order-status/OrderStatusBadge.tsx';
import { packingSlipPath } from '../../cart/paths.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDateTime, formatVND } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { OrderLines } from '../order/OrderLines.tsx';
import { LineBatchPicker } from '../batches/LineBatchPicker.tsx';
import { OrderTimeline } from '../order/OrderTimeline.tsx';
import { ShipForm } from './ShipForm.tsx';
import { TransferReceivedForm } from './TransferReceivedForm.tsx';
import { BalanceReceivedForm } from './BalanceReceivedForm.tsx';

/** unpacked are the statuses with nothing to pack: no packing slip for them. */
const unpacked: readonly SubOrderStatus[] = ['pending_payment', 'cancelled', 'refunded'];

/**
 * CoopSubOrderCard is one sub-order on the cooperative's board: what to
 * send, to whom and where (from GET /sub-orders/{id}), the money to
 * collect, and a button for each move the member may make now.
 */
export function CoopSubOrderCard({
  coop,
  subOrder: so,
  onChanged,
}: {
  coop: string;
  subOrder: SubOrder;
  onChanged: (next: SubOrder) => void;
}) {
  const { t } = useTranslation();
  const { t: td } = useTranslation('deposit');
  const detail = useLoad(`sub-order:${so.id}`, (signal) => getSubOrder(so.id, signal));
  const [open, setOpen] = useState<'' | 'shipped' | 'cancelled'>('');
  const [busy, setBusy] = useState<SubOrderStatus | ''>('');
  const [error, setError] = useState('');
  const [reason, setReason] = useState('');

  async function move(input: Move) {
    setBusy(input.to);
    setError('');
    try {
      const next = await moveSubOrder(so.id, input);
      setOpen('');
      onChanged(next);
    } catch (err) {
      setError(problemMessage(err, t));
    } finally {
      setBusy('');
    }
  }

  const d = detail.status === 'ready' ? detail.data : null;
  const cod = d?.payment_method === 'cod';
  const awaitsTransfer = so.status === 'pending_payment' && d?.payment_method === 'bank_transfer';
  return (
    <article className="coop-order" aria-labelledby={`co-${so.id}`} data-testid="coop-sub-order" data-number={so.number} data-status={so.status}>
      <header className="coop-order__head">
        <div>
          <h3 id={`co-${so.id}`} className="coop-order__number">
            {so.number}
          </h3>
          <p className="coop-order__date">{formatDateTime(so.created_at, currentLanguage())}</p>
        </div>
        <OrderStatusBadge status={so.status} testId="coop-sub-order-status" />
      </header>

      <div className="coop-order__body">
        <div className="coop-order__goods">
          <OrderLines lines={so.lines} />
          <LineBatchPicker coop={coop} subOrder={so} />
          <dl className="sub-order__money">
            <div>
              <dt>{t('cart.groupShipping')}</dt>
              <dd>{formatVND(so.shipping_vnd)}</dd>
            </div>
            <div>
              <dt>{cod ? t('coopOrders.collect') : t('order.subTotal')}</dt>
              <dd data-testid="coop-order-total">{formatVND(so.total_vnd)}</dd>
            </div>
            {so.deposit_vnd > 0 && (
              <>
                <div>
                  <dt>{td('board.deposit')}</dt>
                  <dd data-testid="coop-order-deposit">{formatVND(so.deposit_vnd)}</dd>
                </div>
                <div>
                  <dt>{so.balance_paid_at ? td('board.balancePaid') : td('board.balanceDue')}</dt>
                  <dd data-testid="coop-order-balance">{formatVND(so.balance_paid_at ? so.total_vnd - so.deposit_vnd : so.balance_vnd)}</dd>
                </div>
              </>
            )}
          </dl>
        </div>
        <div className="coop-order__to" data-testid="coop-order-address">
          <p className="coop-order__label">{t('order.deliverTo')}</p>
          {d ? (
            <>
              <p>
                <strong>{d.shipping_address.recipient}</strong> · <a href={`tel:${d.shipping_address.phone}`}>{d.shipping_address.phone}</a>
              </p>
              <p>
                {d.shipping_address.street}, {d.shipping_address.commune}, {d.province_name}
              </p>
              <p className="coop-order__pay">
                {isPaymentMethod(d.payment_method) ? t(`payment.${d.payment_method}`) : d.payment_method}
              </p>
              {d.note && <p className="coop-order__note">{t('order.note', { note: d.note })}</p>}
            </>
          ) : detail.status === 'error' ? (
            <p className="moves__error">{problemMessage(detail.error, t)}</p>
          ) : (
            <p className="dashboard__muted">{t('coopOrders.addressLoading')}</p>
          )}
        </div>
      </div>

      {so.carrier && (
        <p className="sub-order__carrier">
          {so.tracking_code
            ? t('order.carrierTracking', { carrier: so.carrier, code: so.tracking_code })
            : t('order.carrier', { carrier: so.carrier })}
        </p>
      )}
      {so.payment_flag !== '' && (
        <p className={`coop-order__flag coop-order__flag--${so.payment_flag}`} role="status" data-testid="payment-flag" data-flag={so.payment_flag}>
          <strong>{t(`transferReceived.flag.${so.payment_flag}`)}</strong>{' '}
          {t('transferReceived.receivedOf', { received: formatVND(so.received_vnd), total: formatVND(so.total_vnd) })}
        </p>
      )}
      <OrderTimeline events={so.timeline} />

      <div className="moves">
        {awaitsTransfer && <TransferReceivedForm key={`${so.id}:${so.received_vnd}`} subOrder={so} onRecorded={onChanged} />}
        {so.status !== 'pending_payment' && so.balance_vnd > 0 && (
          <BalanceReceivedForm subOrder={so} onRecorded={onChanged} />
        )}
        <div className="moves__buttons">
          {so.moves.map((to) =>
            to === 'shipped' || to === 'cancelled' ? (
              <button
                key={to}
                type="button"
                className={to === 'cancelled' ? 'button button--danger button--small' : 'button button--primary button--small'}
                onClick={() => setOpen(open === to ? '' : to)}
                aria-expanded={open === to}
                disabled={busy !== ''}
                data-testid={`coop-move-${to}`}
              >
                {t(`coopMove.${to}`)}
              </button>
            ) : (
              <button
                key={to}
                type="button"
                className="button button--primary button--small"
                onClick={() => void move({ to })}
                disabled={busy !== ''}
                data-testid={`coop-move-${to}`}
              >
                {busy === to ? t('buyerMove.working') : t(`coopMove.${to}`)}
              </button>
            ),
          )}
          {!unpacked.includes(so.status) && (
            <Link
              to={packingSlipPath(coop, so.id)}
              target="_blank"
              className="button button--secondary button--small"
              data-testid="packing-slip-link"
            >
              {t('coopOrders.printSlip')}
            </Link>
          )}
        </div>
        {open === 'shipped' && <ShipForm id={`ship-${so.id}`} busy={busy === 'shipped'} onShip={(carrier, code) => move({ to: 'shipped', carrier, tracking_code: code })} />}
        {open === 'cancelled' && (
          <div className="moves__confirm">
            <label className="field__label" htmlFor={`reason-${so.id}`}>
              {t('coopOrders.cancelReason')}
            </label>
            <input id={`reason-${so.id}`} className="field__input" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
            <div className="moves__buttons">
              <button
                type="button"
                className="button button--danger button--small"
                onClick={() => void move(reason.trim() ? { to: 'cancelled', note: reason.trim() } : { to: 'cancelled' })}
                disabled={busy !== ''}
                data-testid="coop-confirm-cancel"
              >
                {busy === 'cancelled' ? t('buyerMove.working') : t('buyerMove.confirmCancel')}
              </button>
              <button type="button" className="button button--secondary button--small" onClick={() => setOpen('')}>
                {t('buyerMove.keep')}
              </button>
            </div>
          </div>
        )}
        {error && (
          <p className="moves__error" role="alert" data-testid="coop-move-error">
            {error}
          </p>
        )}
      </div>
    </article>
  );
}
