import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { getSubOrder, newIdempotencyKey, type SubOrder } from '../../api/orders.ts';
import { recordTransfer } from '../../api/payments.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { formatVND, formatWhole, parseWhole } from '../../lib/format.ts';

/**
 * TransferReceivedForm records that the buyer's bank transfer for a
 * sub-order reached the cooperative's account: "Đã nhận chuyển khoản",
 * then the amount that arrived (prefilled with what is still due). The
 * right amount confirms the sub-order; a short or excess one is flagged.
 * Every retry of one amount sends the same Idempotency-Key, so a retry
 * after a lost answer records the transfer once.
 */
export function TransferReceivedForm({ subOrder: so, onRecorded }: { subOrder: SubOrder; onRecorded: (next: SubOrder) => void }) {
  const { t } = useTranslation();
  // A sub-order bought with a deposit waits for its deposit, not its total.
  const due = (so.deposit_vnd > 0 ? so.deposit_vnd : so.total_vnd) - so.received_vnd;
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState(due > 0 ? formatWhole(due) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fieldError, setFieldError] = useState('');
  const attempt = useRef<{ key: string; amount: number } | null>(null);
  const id = `transfer-${so.id}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const value = parseWhole(amount);
    if (value === undefined || Number.isNaN(value) || value <= 0) {
      setFieldError(t('transferReceived.amountInvalid'));
      return;
    }
    setFieldError('');
    setError('');
    setBusy(true);
    // A retry of the same amount keeps its key; another amount is another transfer.
    if (attempt.current?.amount !== value) attempt.current = { key: newIdempotencyKey(), amount: value };
    try {
      await recordTransfer(so.id, value, attempt.current.key);
      attempt.current = null;
      // The sub-order as the board shows it, with the moves it allows now.
      onRecorded(await getSubOrder(so.id));
    } catch (err) {
      const field = err instanceof ApiError ? err.fieldErrors.find((f) => f.field === 'amount_vnd') : undefined;
      if (field) setFieldError(field.message);
      else setError(problemMessage(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="transfer-received" data-testid="transfer-received">
      <button
        type="button"
        className="button button--primary button--small"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        data-testid="transfer-received-open"
      >
        {t('transferReceived.open')}
      </button>
      {open && (
        <form className="transfer-received__form" noValidate onSubmit={(e) => void submit(e)} data-testid="transfer-form">
          <div className={fieldError ? 'field field--invalid' : 'field'}>
            <label className="field__label" htmlFor={`${id}-amount`}>
              {t('transferReceived.amount')}
            </label>
            <input
              id={`${id}-amount`}
              name="amount_vnd"
              className="field__input"
              inputMode="numeric"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${id}-hint ${id}-error` : `${id}-hint`}
            />
            <p id={`${id}-hint`} className="field__hint">
              {t('transferReceived.due', { amount: formatVND(Math.max(0, due)) })}
            </p>
            {fieldError && (
              <p id={`${id}-error`} className="field__error" data-testid="transfer-amount-error">
                {fieldError}
              </p>
            )}
          </div>
          <button type="submit" className="button button--primary button--small" disabled={busy} aria-busy={busy} data-testid="transfer-submit">
            {busy ? t('buyerMove.working') : t('transferReceived.submit')}
          </button>
          {error && (
            <p className="moves__error" role="alert" data-testid="transfer-error">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
