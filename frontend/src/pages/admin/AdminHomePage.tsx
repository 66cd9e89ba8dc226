import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { AdminFrame } from './AdminFrame.tsx';
import { adminAuditPath, adminCoopsPath, adminSynonymsPath, adminUsersPath, reviewQueuePath } from './paths.ts';

const sections = [
  { to: adminUsersPath, name: 'sections.users', text: 'sections.usersText', id: 'users' },
  { to: adminAuditPath, name: 'sections.audit', text: 'sections.auditText', id: 'audit' },
  { to: adminSynonymsPath, name: 'sections.synonyms', text: 'sections.synonymsText', id: 'synonyms' },
  { to: adminCoopsPath, name: 'sections.coops', text: 'sections.coopsText', id: 'coops' },
  { to: reviewQueuePath, name: 'sections.review', text: 'sections.reviewText', id: 'review' },
] as const;

/** AdminHomePage is /quan-tri, where administrators land after logging in: one card per section. */
export function AdminHomePage() {
  const { t } = useTranslation('admin');
  return (
    <AdminFrame title={t('title')}>
      {() => (
        <>
          <p className="admin__intro">{t('intro')}</p>
          <ul className="admin-home" data-testid="admin-home">
            {sections.map((s) => (
              <li key={s.id}>
                <Link to={s.to} className="admin-home__card" data-testid={`admin-home-${s.id}`}>
                  <h2 className="admin-home__name">{t(s.name)}</h2>
                  <p className="admin-home__text">{t(s.text)}</p>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </AdminFrame>
  );
}
