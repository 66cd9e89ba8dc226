import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { loginWithLink, requestLoginLink } from '../../api/identity.ts';
import { FormCard } from '../../components/form/FormCard.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useSession } from '../../session/SessionContext.ts';
import { loginLinkPath, loginPath } from '../../session/paths.ts';
import { landingPath } from '../login/landing.ts';
// The sign-in e-mail links here with the token in the fragment, as the
// reset e-mail does: read and forgotten the same way.
import { forgetResetToken, readResetToken } from '../reset-password/resetToken.ts';

const requestFields: Record<string, 'email'> = { login: 'email' };

/**
 * LoginLinkPage signs in by e-mail: without a token it asks for a sign-in
 * link (the same confirmation whether or not the address has an account);
 * opened from the link, it signs in when the visitor presses the button,
 * not on load, so that a mail scanner opening the link does not use it up.
 * It is how the owner of an account gets in while an attack has its
 * password log-in blocked.
 */
export function LoginLinkPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  // Read once, before the fragment is taken out of the address bar.
  const [token, setToken] = useState(() => readResetToken(window.location.hash));
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);

  useEffect(() => {
    forgetResetToken();
  }, []);

  const signIn = useSubmit(async () => {
    const user = await loginWithLink(token);
    session.signedIn(user);
    await navigate(landingPath(user, null), { replace: true });
  }, {});
  const request = useSubmit(async () => {
    await requestLoginLink(email.trim());
    setSent(true);
  }, requestFields);

  if (token) {
    return (
      <FormCard
        title={t('loginLink.title')}
        intro={t('loginLink.confirmIntro')}
        footer={
          <Link to={loginLinkPath} onClick={() => setToken('')}>
            {t('loginLink.requestNew')}
          </Link>
        }
      >
        <form className="form" noValidate ref={signIn.formRef} onSubmit={signIn.onSubmit}>
          {signIn.errors.message && <FormMessage tone="error">{signIn.errors.message}</FormMessage>}
          <SubmitButton busy={signIn.busy} busyLabel={t('loginLink.signingIn')}>
            {t('loginLink.signIn')}
          </SubmitButton>
        </form>
      </FormCard>
    );
  }

  return (
    <FormCard
      title={t('loginLink.title')}
      intro={t('loginLink.intro')}
      footer={<Link to={loginPath}>{t('loginLink.back')}</Link>}
    >
      {sent ? (
        <FormMessage tone="success">{t('loginLink.sent')}</FormMessage>
      ) : (
        <form className="form" noValidate ref={request.formRef} onSubmit={request.onSubmit}>
          <TextField
            id="login-link-email"
            name="email"
            type="email"
            label={t('loginLink.email')}
            value={email}
            onChange={setEmail}
            autoComplete="email"
            required
            error={request.errors.fields.email}
          />
          {request.errors.message && <FormMessage tone="error">{request.errors.message}</FormMessage>}
          <SubmitButton busy={request.busy} busyLabel={t('loginLink.busy')}>
            {t('loginLink.submit')}
          </SubmitButton>
        </form>
      )}
    </FormCard>
  );
}
