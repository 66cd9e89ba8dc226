import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { getBankAccount, setBankAccount, type BankAccount } from '../../api/payments.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { bankName, banks } from '../../lib/banks.ts';
import { useLoad } from '../../lib/useLoad.ts';

type Field = 'bank_bin' | 'account_number' | 'account_name';
const fieldMap: Record<string, Field> = { bank_bin: 'bank_bin', account_number: 'account_number', account_name: 'account_name' };

/**
 * BankAccountSection is the account buyers' bank transfers go to, which
 * each VietQR code names: a form for the cooperative's managers, the
 * account itself for its other members.
 */
export function BankAccountSection({ coop, editable }: { coop: string; editable: boolean }) {
  const { t } = useTranslation();
  const account = useLoad(`bank-account:${coop}`, (signal) =>
    getBankAccount(coop, signal).catch((err: unknown) => {
      // No account yet is no failure: the form starts empty.
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }),
  );
  return (
    <section className="payments-panel__box" aria-labelledby="bank-account-title" data-testid="bank-account">
      <h3 id="bank-account-title" className="dashboard__subheading">
        {t('coopPayments.bankAccount')}
      </h3>
      <p className="dashboard__muted">{t('coopPayments.bankIntro')}</p>
      {account.status === 'loading' && <LoadingMessage>{t('dashboard.loading')}</LoadingMessage>}
      {account.status === 'error' && <ErrorMessage title={t('coopPayments.bankError')} error={account.error} onRetry={account.retry} />}
      {account.status === 'ready' && account.data === null && (
        <p className="dashboard__notice" data-testid="no-bank-account">
          {t('coopPayments.noBankAccount')}
        </p>
      )}
      {account.status === 'ready' &&
        (editable ? (
          <BankAccountForm coop={coop} account={account.data} onSaved={account.replace} />
        ) : (
          account.data && (
            <dl className="bank-account__view">
              <div>
                <dt>{t('bankPay.bank')}</dt>
                <dd>{bankName(account.data.bank_bin)}</dd>
              </div>
              <div>
                <dt>{t('bankPay.account')}</dt>
                <dd>{account.data.account_number}</dd>
              </div>
              <div>
                <dt>{t('bankPay.holder')}</dt>
                <dd>{account.data.account_name}</dd>
              </div>
            </dl>
          )
        ))}
    </section>
  );
}

function BankAccountForm({ coop, account, onSaved }: { coop: string; account: BankAccount | null; onSaved: (a: BankAccount) => void }) {
  const { t } = useTranslation();
  const [bin, setBin] = useState(account?.bank_bin ?? '');
  const [number, setNumber] = useState(account?.account_number ?? '');
  const [name, setName] = useState(account?.account_name ?? '');
  const [saved, setSaved] = useState(false);
  // A BIN the table does not know (set before, or by an admin) stays choosable.
  const options = banks.map((b) => ({ value: b.bin, label: `${b.name} (${b.bin})` }));
  if (account && !banks.some((b) => b.bin === account.bank_bin)) options.push({ value: account.bank_bin, label: account.bank_bin });

  const submit = useSubmit(async () => {
    setSaved(false);
    const fields: Partial<Record<Field, string>> = {};
    const cleanNumber = number.replace(/[\s.-]/g, '');
    if (!bin) fields.bank_bin = t('coopPayments.chooseBank');
    if (!cleanNumber) fields.account_number = t('productEditor.required');
    if (!name.trim()) fields.account_name = t('productEditor.required');
    if (Object.keys(fields).length > 0) {
      submit.fail({ fields, message: t('productEditor.fix') });
      return;
    }
    const next = await setBankAccount(coop, { bank_bin: bin, account_number: cleanNumber, account_name: name.trim() });
    setNumber(next.account_number);
    setName(next.account_name);
    onSaved(next);
    setSaved(true);
  }, fieldMap);
  const err = submit.errors.fields;

  return (
    <form className="form bank-account__form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="bank-account-form">
      <SelectField
        id="bank-bin"
        name="bank_bin"
        label={t('bankPay.bank')}
        placeholder={t('coopPayments.chooseBank')}
        value={bin}
        options={options}
        onChange={setBin}
        required
        error={err.bank_bin}
      />
      <TextField
        id="bank-account-number"
        name="account_number"
        label={t('bankPay.account')}
        value={number}
        onChange={setNumber}
        inputMode="numeric"
        autoComplete="off"
        required
        error={err.account_number}
      />
      <TextField
        id="bank-account-name"
        name="account_name"
        label={t('bankPay.holder')}
        hint={t('coopPayments.holderHint')}
        value={name}
        onChange={setName}
        autoComplete="off"
        required
        error={err.account_name}
      />
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      {saved && <FormMessage tone="success">{t('coopPayments.bankSaved')}</FormMessage>}
      <SubmitButton busy={submit.busy} busyLabel={t('dashboard.saving')}>
        {t('coopPayments.saveBank')}
      </SubmitButton>
    </form>
  );
}
