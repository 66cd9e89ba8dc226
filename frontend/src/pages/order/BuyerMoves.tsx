import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { moveSubOrder, type SubOrder, type SubOrderStatus } from '../../api/orders.ts';
import { problemMessage } from '../../components/form/formErrors.ts';

/**
 * BuyerMoves are the buttons for what the buyer may do with a sub-order
 * now: cancel it before it is packed (asked twice), say it arrived
 * ("Đã nhận hàng"), or close it.
 */
export function BuyerMoves({ subOrder: so, refresh }: { subOrder: SubOrder; refresh: () => Promise<void> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<SubOrderStatus | ''>('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  if (so.moves.length === 0) return null;

  async function move(to: SubOrderStatus) {
    setBusy(to);
    setError('');
    try {
      await moveSubOrder(so.id, { to });
      setConfirming(false);
      await refresh();
    } catch (err) {
      setError(problemMessage(err, t));
    } finally {
      setBusy('');
    }
  }

  return (
    <div className="moves" data-testid="buyer-moves">
      {confirming ? (
        <div className="moves__confirm" role="group" aria-label={t('buyerMove.confirmCancel')}>
          <p>{t('buyerMove.confirmCancelText', { coop: so.cooperative_name })}</p>
          <div className="moves__buttons">
            <button
              type="button"
              className="button button--danger button--small"
              onClick={() => void move('cancelled')}
              disabled={busy !== ''}
              data-testid="confirm-cancel"
            >
              {busy === 'cancelled' ? t('buyerMove.working') : t('buyerMove.confirmCancel')}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(false)} disabled={busy !== ''}>
              {t('buyerMove.keep')}
            </button>
          </div>
        </div>
      ) : (
        <div className="moves__buttons">
          {so.moves.map((to) => (
            <button
              key={to}
              type="button"
              className={to === 'cancelled' ? 'button button--danger button--small' : 'button button--primary button--small'}
              onClick={() => (to === 'cancelled' ? setConfirming(true) : void move(to))}
              disabled={busy !== ''}
              data-testid={`move-${to}`}
            >
              {busy === to ? t('buyerMove.working') : t(`buyerMove.${to}`)}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p className="moves__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
