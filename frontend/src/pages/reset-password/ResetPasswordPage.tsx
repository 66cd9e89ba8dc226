import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { confirmPasswordReset } from '../../api/identity.ts';
import { FormCard } from '../../components/form/FormCard.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useSession } from '../../session/SessionContext.ts';
import { forgotPasswordPath, loginPath } from '../../session/paths.ts';
import { forgetResetToken, readResetToken } from './resetToken.ts';
import { NewPasswordFields, confirmationErrors } from '../../components/form/NewPasswordFields';

type Field = 'newPassword' | 'confirm';
const fieldMap: Record<string, Field> = { new_password: 'newPassword' };

/** ResetPasswordPage sets a new password with the token of a reset e-mail's link. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const session = useSession();
  // Read once, before the fragment is taken out of the address bar.
  const [token] = useState(() => readResetToken(window.location.hash));
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);

  useEffect(() => {
    forgetResetToken();
  }, []);

  const submit = useSubmit(async () => {
    await confirmPasswordReset({ token, new_password: newPassword });
    setDone(true);
    // Every session of the account has ended, this browser's included.
    session.reload();
  }, fieldMap);

  if (!token) {
    return (
      <FormCard title={t('resetPassword.title')}>
        <FormMessage tone="error">{t('resetPassword.missingToken')}</FormMessage>
        <p className="form-card__next">
          <Link to={forgotPasswordPath}>{t('resetPassword.requestNew')}</Link>
        </p>
      </FormCard>
    );
  }

  if (done) {
    return (
      <FormCard title={t('resetPassword.title')}>
        <FormMessage tone="success">{t('resetPassword.done')}</FormMessage>
        <p className="form-card__next">
          <Link to={loginPath} className="button button--primary">
            {t('resetPassword.login')}
          </Link>
        </p>
      </FormCard>
    );
  }

  return (
    <FormCard
      title={t('resetPassword.title')}
      intro={t('resetPassword.intro')}
      footer={<Link to={forgotPasswordPath}>{t('resetPassword.requestNew')}</Link>}
    >
      <form
        className="form"
        noValidate
        ref={submit.formRef}
        onSubmit={(event) => {
          const mismatch = confirmationErrors(newPassword, confirm, t);
          if (mismatch) {
            event.preventDefault();
            submit.fail(mismatch);
            return;
          }
          submit.onSubmit(event);
        }}
      >
        <NewPasswordFields
          idPrefix="reset"
          value={newPassword}
          confirm={confirm}
          onChange={setNewPassword}
          onConfirmChange={setConfirm}
          error={submit.errors.fields.newPassword}
          confirmError={submit.errors.fields.confirm}
        />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('resetPassword.busy')}>
          {t('resetPassword.submit')}
        </SubmitButton>
      </form>
    </FormCard>
  );
}
