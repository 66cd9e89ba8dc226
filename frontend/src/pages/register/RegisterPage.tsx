import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { register, type Registration } from '../../api/identity.ts';
import { FormCard } from '../../components/form/FormCard.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useSession } from '../../session/SessionContext.ts';
import { loginPath, returnTo } from '../../session/paths.ts';

type Field = 'contact' | 'fullName' | 'password';
// One field takes an e-mail address or a phone number: the server's errors
// about either belong to it.
const fieldMap: Record<string, Field> = {
  email: 'contact',
  phone: 'contact',
  full_name: 'fullName',
  password: 'password',
};

/** RegisterPage opens a buyer's account with an e-mail address or a phone number. */
export function RegisterPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [contact, setContact] = useState('');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');

  const submit = useSubmit(async () => {
    const user = await register({ ...contactFields(contact), full_name: fullName.trim(), password });
    session.signedIn(user);
    await navigate(returnTo(location.state), { replace: true });
  }, fieldMap);

  return (
    <FormCard
      title={t('register.title')}
      intro={t('register.intro')}
      footer={
        <p>
          {t('register.haveAccount')}{' '}
          <Link to={loginPath} state={location.state}>
            {t('register.login')}
          </Link>
        </p>
      }
    >
      <form className="form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit}>
        <TextField
          id="register-contact"
          name="contact"
          label={t('register.contact')}
          hint={t('register.contactHint')}
          value={contact}
          onChange={setContact}
          autoComplete="username"
          inputMode="email"
          required
          error={submit.errors.fields.contact}
        />
        <TextField
          id="register-full-name"
          name="full_name"
          label={t('register.fullName')}
          value={fullName}
          onChange={setFullName}
          autoComplete="name"
          required
          error={submit.errors.fields.fullName}
        />
        <TextField
          id="register-password"
          name="password"
          type="password"
          label={t('register.password')}
          hint={t('register.passwordHint')}
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          required
          error={submit.errors.fields.password}
        />
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        <SubmitButton busy={submit.busy} busyLabel={t('register.busy')}>
          {t('register.submit')}
        </SubmitButton>
      </form>
    </FormCard>
  );
}

// contactFields sends what looks like an e-mail address as email and
// anything else as phone, which the server normalises to +84….
function contactFields(contact: string): Pick<Registration, 'email' | 'phone'> {
  const value = contact.trim();
  return value.includes('@') ? { email: value } : { phone: value };
}
