import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { ProfileDetails } from './ProfileDetails.tsx';
import { CooperativeMemberships } from './CooperativeMemberships.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import './account.css';

/** AccountPage shows the signed-in user's profile and lets them change their password. */
export function AccountPage() {
  const { t } = useTranslation();
  return (
    <RequireSignIn>
      {(user) => (
        <div className="account">
          <h1 className="account__title">{t('account.title')}</h1>
          <div className="account__grid">
            <div className="account__column">
              <ProfileDetails user={user} />
              <CooperativeMemberships memberships={user.memberships} />
            </div>
            <ChangePasswordForm username={user.email ?? user.phone ?? ''} />
          </div>
        </div>
      )}
    </RequireSignIn>
  );
}
