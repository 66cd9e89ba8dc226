import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassword } from '../../api/identity.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { NewPasswordFields, confirmationErrors } from '../../components/form/NewPasswordFields';

type Field = 'current' | 'next' | 'confirm';
const fieldMap: Record<string, Field> = { current_password: 'current', new_password: 'next' };

/**
 * ChangePasswordForm replaces the user's password; the server signs their
 * other sessions out. username (hidden) tells password managers whose
 * password changes.
 */
export function ChangePasswordForm({ username }: { username: string }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);

  const submit = useSubmit(async () => {
    await changePassword({ current_password: current, new_password: next });
    setCurrent('');
    setNext('');
    setConfirm('');
    setDone(true);
  }, fieldMap);

  return (
    <section className="account__card" aria-labelledby="change-password-title">
      <h2 id="change-password-title" className="account__card-title">
        {t('changePassword.title')}
      </h2>
      <form
        className="form"
        noValidate
        ref={submit.formRef}
        onSubmit={(event) => {
          setDone(false);
          const mismatch = confirmationErrors(next, confirm, t);
          if (mismatch) {
            event.preventDefault();
            submit.fail(mismatch);
            return;
          }
          submit.onSubmit(event);
        }}
      >
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <TextField
          id="change-current"
          name="current_password"
          type="password"
          label={t('changePassword.current')}
          value={current}
          onChange={setCurrent}
          autoComplete="current-password"
          required
          error={submit.errors.fields.current}
        />
        <NewPasswordFields
          idPrefix="change"
          value={next}
          confirm={confirm}
          onChange={setNext}
          onConfirmChange={setConfirm}
          error={submit.errors.fields.next}
          confirmError={submit.errors.fields.confirm}
        />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        {done && <FormMessage tone="success">{t('changePassword.done')}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('changePassword.busy')}>
          {t('changePassword.submit')}
        </SubmitButton>
      </form>
    </section>
  );
}
