import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { getSubOrder, isPaymentMethod, type SubOrderDetail } from '../../api/orders.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDateTime, formatVND } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import './packing-slip.css';

/**
 * PackingSlipPage is /quan-ly/:coop/phieu-giao-hang/:id, a sub-order's
 * packing slip on a page of its own, to print and put in the parcel: from
 * whom, to whom and where, what is inside, and what to collect on delivery.
 */
export function PackingSlipPage() {
  return <RequireSignIn>{() => <Slip />}</RequireSignIn>;
}

function Slip() {
  const { t } = useTranslation();
  const { coop = '', id = '' } = useParams();
  const load = useLoad(`slip:${id}`, (signal) => getSubOrder(id, signal));
  const back = `/quan-ly/${encodeURIComponent(coop)}?muc=don-hang`;

  if (load.status !== 'ready') {
    return (
      <div className="slip-page">
        {load.status === 'loading' ? (
          <LoadingMessage>{t('order.loading')}</LoadingMessage>
        ) : (
          <ErrorMessage title={t('order.error')} error={load.error} onRetry={load.retry} />
        )}
        <Link to={back}>{t('slip.back')}</Link>
      </div>
    );
  }
  return (
    <div className="slip-page">
      <div className="slip-page__tools">
        <Link to={back}>{t('slip.back')}</Link>
        <button type="button" className="button button--primary" onClick={() => window.print()} data-testid="print-slip">
          {t('slip.print')}
        </button>
      </div>
      <SlipSheet so={load.data} />
    </div>
  );
}

function SlipSheet({ so }: { so: SubOrderDetail }) {
  const { t } = useTranslation();
  const { t: td } = useTranslation('deposit');
  const a = so.shipping_address;
  const cod = so.payment_method === 'cod';
  // After a deposit, the rest is collected on delivery until recorded.
  const balanceDue = so.deposit_vnd > 0 && !so.balance_paid_at ? so.balance_vnd : 0;
  const units = so.lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <article className="slip" data-testid="packing-slip">
      <header className="slip__head">
        <p className="slip__brand">{t('app.brand')}</p>
        <h1 className="slip__title">{t('slip.title')}</h1>
        <p className="slip__number">{so.number}</p>
        <p className="slip__date">{formatDateTime(so.created_at, currentLanguage())}</p>
      </header>
      <div className="slip__parties">
        <section>
          <h2 className="slip__label">{t('slip.from')}</h2>
          <p className="slip__strong">{so.cooperative_name}</p>
        </section>
        <section>
          <h2 className="slip__label">{t('slip.to')}</h2>
          <p className="slip__strong">{a.recipient}</p>
          <p>{a.phone}</p>
          <p>
            {a.street}, {a.commune}, {so.province_name}
          </p>
        </section>
      </div>
      <table className="slip__table">
        <thead>
          <tr>
            <th scope="col">{t('slip.product')}</th>
            <th scope="col">{t('product.unit')}</th>
            <th scope="col" className="slip__num">
              {t('slip.quantity')}
            </th>
          </tr>
        </thead>
        <tbody>
          {so.lines.map((l) => (
            <tr key={l.id}>
              <td>
                {l.product_name}
                <span className="slip__sku">{l.sku}</span>
              </td>
              <td>{l.unit}</td>
              <td className="slip__num">{l.quantity}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t('slip.units')}
            </th>
            <td className="slip__num">{units}</td>
          </tr>
        </tfoot>
      </table>
      <div className="slip__money">
        <p>
          {t('slip.payment')} {isPaymentMethod(so.payment_method) ? t(`payment.${so.payment_method}`) : so.payment_method}
        </p>
        <p className="slip__collect" data-testid="slip-collect">
          {cod
            ? t('slip.collect', { amount: formatVND(so.total_vnd) })
            : balanceDue > 0
              ? td('slip.collectBalance', { amount: formatVND(balanceDue) })
              : t('slip.nothingToCollect')}
        </p>
      </div>
      {(so.carrier || so.tracking_code) && (
        <p>
          {so.tracking_code
            ? t('order.carrierTracking', { carrier: so.carrier, code: so.tracking_code })
            : t('order.carrier', { carrier: so.carrier })}
        </p>
      )}
      {so.note && <p className="slip__note">{t('order.note', { note: so.note })}</p>}
      <p className="slip__foot">{t('slip.thanks')}</p>
    </article>
  );
}
