import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { registerCooperative, type CooperativeRegistration } from '../../api/cooperatives.ts';
import { CooperativeForm } from '../../components/cooperative-form/CooperativeForm.tsx';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { useSession } from '../../session/SessionContext.ts';
import './cooperative-registration.css';

/** CooperativeRegistrationPage is /dang-ky-hop-tac-xa: a signed-in user registers a cooperative, which waits for verification. */
export function CooperativeRegistrationPage() {
  return <RequireSignIn>{() => <Registration />}</RequireSignIn>;
}

function Registration() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  return (
    <div className="coop-registration">
      <h1 className="coop-registration__title">{t('coopRegistration.title')}</h1>
      <p className="coop-registration__intro">{t('coopRegistration.intro')}</p>
      <CooperativeForm
        submitLabel={t('coopRegistration.submit')}
        busyLabel={t('coopRegistration.busy')}
        onSave={async (profile) => {
          const coop = await registerCooperative(profile as CooperativeRegistration);
          // The user is now its manager: the header's "Quản lý" needs the new membership.
          session.reload();
          await navigate('/quan-ly', { state: { registered: coop.name } });
        }}
      />
    </div>
  );
}
