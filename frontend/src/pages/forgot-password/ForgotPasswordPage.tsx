import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { requestPasswordReset } from '../../api/identity.ts';
import { FormCard } from '../../components/form/FormCard.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { loginPath } from '../../session/paths.ts';

const fieldMap: Record<string, 'email'> = { login: 'email' };

/**
 * ForgotPasswordPage asks for a reset e-mail. Its confirmation is the same
 * whether or not the address has an account, as the server's answer is.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);

  const submit = useSubmit(async () => {
    await requestPasswordReset(email.trim());
    setSent(true);
  }, fieldMap);

  return (
    <FormCard
      title={t('forgotPassword.title')}
      intro={t('forgotPassword.intro')}
      footer={<Link to={loginPath}>{t('forgotPassword.back')}</Link>}
    >
      {sent ? (
        <FormMessage tone="success">{t('forgotPassword.sent')}</FormMessage>
      ) : (
        <form className="form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit}>
          <TextField
            id="forgot-email"
            name="email"
            type="email"
            label={t('forgotPassword.email')}
            value={email}
            onChange={setEmail}
            autoComplete="email"
            required
            error={submit.errors.fields.email}
          />
          {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
          <SubmitButton busy={submit.busy} busyLabel={t('forgotPassword.busy')}>
            {t('forgotPassword.submit')}
          </SubmitButton>
        </form>
      )}
    </FormCard>
  );
}
