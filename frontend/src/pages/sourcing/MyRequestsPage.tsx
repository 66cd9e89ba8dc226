import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listMyRequests } from '../../api/sourcing.ts';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { usePaged } from '../../lib/usePaged.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { pageOf } from './common.tsx';
import { newRequestPath } from './paths.ts';
import { RequestRow } from './SourcingBoardPage.tsx';
import './sourcing.css';

/** MyRequestsPage is /nguon-hang/cua-toi: the signed-in buyer's requests, newest first. */
export function MyRequestsPage() {
  return <RequireSignIn>{(user) => <MyRequests userID={user.id} />}</RequireSignIn>;
}

function MyRequests({ userID }: { userID: string }) {
  const { t } = useTranslation('sourcing');
  const list = usePaged(`sourcing-mine:${userID}`, (cursor, signal) => pageOf(cursor, (page) => listMyRequests(page, signal)));
  return (
    <div className="sourcing">
      <header className="sourcing__header">
        <h1 className="sourcing__title">{t('mine.title')}</h1>
        <div className="sourcing__actions">
          <Link to={newRequestPath} className="button button--primary">
            {t('board.post')}
          </Link>
        </div>
      </header>
      {list.status === 'loading' && <LoadingMessage>{t('loading')}</LoadingMessage>}
      {list.status === 'error' && <ErrorMessage title={t('loadError')} error={list.error} onRetry={list.retry} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <EmptyMessage testId="mine-empty">
          <p>{t('mine.empty')}</p>
        </EmptyMessage>
      )}
      {list.items.length > 0 && (
        <ul className="sourcing__list">
          {list.items.map((r) => (
            <RequestRow key={r.id} request={r} />
          ))}
        </ul>
      )}
      <LoadMoreButton list={list} />
    </div>
  );
}
