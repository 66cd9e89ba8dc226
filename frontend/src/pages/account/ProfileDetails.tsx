import { useTranslation } from 'react-i18next';
import type { User } from '../../api/identity.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate, formatPhone } from '../../lib/format.ts';

/** ProfileDetails lists who the user is: name, e-mail, phone, roles. */
export function ProfileDetails({ user }: { user: User }) {
  const { t } = useTranslation();
  const notGiven = <span className="profile__missing">{t('account.notGiven')}</span>;
  return (
    <section className="account__card" aria-labelledby="profile-title">
      <h2 id="profile-title" className="account__card-title">
        {t('account.profile')}
      </h2>
      <dl className="profile" data-testid="profile">
        <div className="profile__row">
          <dt>{t('account.fullName')}</dt>
          <dd data-testid="profile-name">{user.full_name}</dd>
        </div>
        <div className="profile__row">
          <dt>{t('account.email')}</dt>
          <dd data-testid="profile-email">{user.email ?? notGiven}</dd>
        </div>
        <div className="profile__row">
          <dt>{t('account.phone')}</dt>
          <dd data-testid="profile-phone">{user.phone ? formatPhone(user.phone) : notGiven}</dd>
        </div>
        {user.company_name && (
          <div className="profile__row">
            <dt>{t('account.company')}</dt>
            <dd>{user.company_name}</dd>
          </div>
        )}
        {user.tax_code && (
          <div className="profile__row">
            <dt>{t('account.taxCode')}</dt>
            <dd>{user.tax_code}</dd>
          </div>
        )}
        <div className="profile__row">
          <dt>{t('account.roles')}</dt>
          <dd data-testid="profile-roles">{user.roles.map((role) => t(`roles.${role}`)).join(', ') || notGiven}</dd>
        </div>
        {user.trade_province && (
          <div className="profile__row">
            <dt>{t('account.tradeProvince')}</dt>
            <dd>{user.trade_province}</dd>
          </div>
        )}
        <div className="profile__row">
          <dt>{t('account.memberSince')}</dt>
          <dd>{formatDate(user.created_at, currentLanguage())}</dd>
        </div>
      </dl>
    </section>
  );
}
