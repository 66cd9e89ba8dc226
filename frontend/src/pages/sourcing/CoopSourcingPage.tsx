import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { CoopSourcing } from './CoopSourcing.tsx';
import { sourcingBoardPath } from './paths.ts';
import './sourcing.css';

/** CoopSourcingPage is /nguon-hang/hop-tac-xa/:coop: a cooperative's matched requests, quote form and offers (its members). */
export function CoopSourcingPage() {
  const { t } = useTranslation('sourcing');
  const { coop = '' } = useParams();
  return (
    <RequireSignIn>
      {(user) => {
        const m = user.memberships.find((x) => x.cooperative_slug === coop || x.cooperative_id === coop);
        return (
          <div className="sourcing">
            <nav className="breadcrumb" aria-label={t('breadcrumb')}>
              <Link to={sourcingBoardPath}>{t('board.title')}</Link>
            </nav>
            <h1 className="sourcing__title">{t('coop.title', { coop: m?.cooperative_name ?? coop })}</h1>
            <CoopSourcing coop={coop} />
          </div>
        );
      }}
    </RequireSignIn>
  );
}
