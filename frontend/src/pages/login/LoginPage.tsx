import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { login } from '../../api/identity.ts';
import { FormCard } from '../../components/form/FormCard.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { loginLinkPath } from '../../session/paths.ts';
import { useSession } from '../../session/SessionContext.ts';
import { forgotPasswordPath, registerPath } from '../../session/paths.ts';
import { landingPath } from './landing.ts';
import { orderLookupPath } from '../../cart/paths.ts';

type Field = 'login' | 'password';
const fieldMap: Record<string, Field> = { login: 'login', password: 'password' };

/**
 * LoginPage signs a visitor in with an e-mail address or phone number, then
 * goes back where they came from, or for people who work on the marketplace
 * to their work page (see landingPath).
 */
export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [loginValue, setLogin] = useState('');
  const [password, setPassword] = useState('');

  const submit = useSubmit(async () => {
    const user = await login({ login: loginValue.trim(), password });
    session.signedIn(user);
    await navigate(landingPath(user, location.state), { replace: true });
  }, fieldMap);

  return (
    <FormCard
      title={t('login.title')}
      intro={t('login.intro')}
      footer={
        <>
          <Link to={forgotPasswordPath}>{t('login.forgot')}</Link>
          <p>
            <Link to={loginLinkPath}>{t('loginLink.fromLogin')}</Link>
          </p>
          <p>
            {t('login.noAccount')}{' '}
            <Link to={registerPath} state={location.state}>
              {t('login.register')}
            </Link>
          </p>
          <p>
            {t('login.guest')}{' '}
            <Link to={orderLookupPath} data-testid="login-lookup">
              {t('login.lookup')}
            </Link>
          </p>
        </>
      }
    >
      <form className="form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit}>
        <TextField
          id="login-login"
          name="login"
          label={t('login.login')}
          value={loginValue}
          onChange={setLogin}
          autoComplete="username"
          inputMode="email"
          required
          error={submit.errors.fields.login}
        />
        <TextField
          id="login-password"
          name="password"
          type="password"
          label={t('login.password')}
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
          error={submit.errors.fields.password}
        />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('login.busy')}>
          {t('login.submit')}
        </SubmitButton>
      </form>
    </FormCard>
  );
}
