import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Membership } from '../../api/identity.ts';

/** CooperativeMemberships lists the cooperatives the user works for, with their role in each, and offers to register one. */
export function CooperativeMemberships({ memberships }: { memberships: Membership[] }) {
  const { t } = useTranslation();
  return (
    <section className="account__card" aria-labelledby="memberships-title">
      <h2 id="memberships-title" className="account__card-title">
        {t('account.memberships')}
      </h2>
      {memberships.length === 0 ? (
        <p className="account__empty" data-testid="memberships-empty">
          {t('account.noMemberships')}
        </p>
      ) : (
        <ul className="memberships" data-testid="memberships">
          {memberships.map((m) => (
            <li key={`${m.cooperative_id}-${m.role}`} className="memberships__item">
              <span className="memberships__name">{m.cooperative_name}</span>
              <span className="memberships__role">{t(`roles.${m.role}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="account__card-actions">
        <Link to="/dang-ky-hop-tac-xa" className="button button--secondary button--small" data-testid="account-register-coop">
          {t('account.registerCoop')}
        </Link>
      </p>
    </section>
  );
}
