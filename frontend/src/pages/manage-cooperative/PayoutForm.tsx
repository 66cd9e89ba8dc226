import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { recordPayout } from '../../api/payments.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { formatVND, isoDay, parseWhole } from '../../lib/format.ts';

type Field = 'amount' | 'reference' | 'paidOn';
const fieldMap: Record<string, Field> = { amount_vnd: 'amount', reference: 'reference', paid_on: 'paidOn' };

/**
 * PayoutForm records, for trade staff of the cooperative's province and
 * admins, a payout the platform paid the cooperative by bank transfer:
 * the amount (at most what it owes), the bank's reference (the same
 * reference twice records one payout) and the day it was paid.
 */
export function PayoutForm({ coop, onRecorded }: { coop: string; onRecorded: () => Promise<void> }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState(() => isoDay(new Date()));
  const [done, setDone] = useState('');

  const submit = useSubmit(async () => {
    setDone('');
    const value = parseWhole(amount);
    const fields: Partial<Record<Field, string>> = {};
    if (value === undefined) fields.amount = t('productEditor.required');
    else if (Number.isNaN(value) || value <= 0) fields.amount = t('transferReceived.amountInvalid');
    if (!reference.trim()) fields.reference = t('productEditor.required');
    if (!paidOn) fields.paidOn = t('productEditor.required');
    if (Object.keys(fields).length > 0 || value === undefined) {
      submit.fail({ fields, message: t('productEditor.fix') });
      return;
    }
    const payout = await recordPayout(coop, { amount_vnd: value, reference: reference.trim(), paid_on: paidOn });
    setDone(t('coopPayments.payoutDone', { amount: formatVND(payout.amount_vnd), reference: payout.reference }));
    setAmount('');
    setReference('');
    await onRecorded();
  }, fieldMap);
  const err = submit.errors.fields;

  return (
    <section className="payments-panel__box" aria-labelledby="payout-title">
      <h3 id="payout-title" className="dashboard__subheading">
        {t('coopPayments.payout')}
      </h3>
      <p className="dashboard__muted">{t('coopPayments.payoutIntro')}</p>
      <form className="form payout-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="payout-form">
        <TextField
          id="payout-amount"
          name="amount"
          label={t('coopPayments.payoutAmount')}
          hint={t('productEditor.amountHint')}
          value={amount}
          onChange={setAmount}
          inputMode="numeric"
          required
          error={err.amount}
        />
        <TextField
          id="payout-reference"
          name="reference"
          label={t('coopPayments.payoutReference')}
          hint={t('coopPayments.payoutReferenceHint')}
          value={reference}
          onChange={setReference}
          autoComplete="off"
          required
          error={err.reference}
        />
        <TextField id="payout-paid-on" name="paid_on" type="date" label={t('coopPayments.payoutPaidOn')} value={paidOn} onChange={setPaidOn} required error={err.paidOn} />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        {done && <FormMessage tone="success">{done}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('dashboard.saving')}>
          {t('coopPayments.payoutSubmit')}
        </SubmitButton>
      </form>
    </section>
  );
}
