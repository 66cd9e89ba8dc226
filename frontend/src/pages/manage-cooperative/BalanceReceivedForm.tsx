import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { recordBalance, type BalanceMethod } from '../../api/deposits.ts';
import { getSubOrder, type SubOrder } from '../../api/orders.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { formatVND } from '../../lib/format.ts';

/**
 * BalanceReceivedForm records, for a sub-order bought with a deposit, that
 * the buyer paid the balance on delivery: "Đã nhận phần còn lại", in cash
 * or by transfer. Until then the sub-order cannot be delivered. Recording
 * it twice changes nothing, so a retry after a lost answer is safe.
 */
export function BalanceReceivedForm({ subOrder: so, onRecorded }: { subOrder: SubOrder; onRecorded: (next: SubOrder) => void }) {
  const { t } = useTranslation();
  const { t: td } = useTranslation('deposit');
  const [open, setOpen] = useState(false);
  const [method, setMethod] = useState<BalanceMethod>('cash');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit() {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await recordBalance(so.id, method);
      // The sub-order as the board shows it, with the moves it allows now.
      onRecorded(await getSubOrder(so.id));
    } catch (err) {
      setError(problemMessage(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="transfer-received" data-testid="balance-received">
      <button
        type="button"
        className="button button--primary button--small"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        data-testid="balance-received-open"
      >
        {td('board.record')}
      </button>
      {open && (
        <div className="transfer-received__form">
          <fieldset className="field">
            <legend className="field__label">{td('board.method')}</legend>
            {(['cash', 'transfer'] as const).map((m) => (
              <label key={m} className="sourcing-form__check">
                <input type="radio" name={`balance-${so.id}`} checked={method === m} onChange={() => setMethod(m)} data-testid={`balance-${m}`} />{' '}
                {td(`board.${m}`)}
              </label>
            ))}
            <p className="field__hint">{td('board.hint')}</p>
          </fieldset>
          <button
            type="button"
            className="button button--primary button--small"
            onClick={() => void submit()}
            disabled={busy}
            aria-busy={busy}
            data-testid="balance-submit"
          >
            {busy ? td('board.working') : td('board.confirm', { amount: formatVND(so.balance_vnd) })}
          </button>
          {error && (
            <p className="moves__error" role="alert" data-testid="balance-error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
