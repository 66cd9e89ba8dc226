import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listBoard, type SourcingRequest } from '../../api/sourcing.ts';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { formatDayMonthYear } from '../../lib/format.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { formatQuantity, pageOf, RequestStatusBadge } from './common.tsx';
import { myRequestsPath, newRequestPath, offersPath, requestPath } from './paths.ts';
import './sourcing.css';

/** SourcingBoardPage is /nguon-hang: the public board of requests open to every cooperative. */
export function SourcingBoardPage() {
  const { t } = useTranslation('sourcing');
  const list = usePaged('sourcing-board', (cursor, signal) => pageOf(cursor, (page) => listBoard(page, signal)));
  return (
    <div className="sourcing">
      <header className="sourcing__header">
        <h1 className="sourcing__title">{t('board.title')}</h1>
        <p className="sourcing__lead">{t('board.lead')}</p>
        <div className="sourcing__actions">
          <Link to={newRequestPath} className="button button--primary" data-testid="new-request">
            {t('board.post')}
          </Link>
          <Link to={myRequestsPath} className="button">
            {t('board.mine')}
          </Link>
          <Link to={offersPath} className="button">
            {t('board.offers')}
          </Link>
        </div>
      </header>
      {list.status === 'loading' && <LoadingMessage>{t('loading')}</LoadingMessage>}
      {list.status === 'error' && <ErrorMessage title={t('loadError')} error={list.error} onRetry={list.retry} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <EmptyMessage testId="board-empty">
          <p>{t('board.empty')}</p>
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

/** RequestRow is one request in a list: what, how much, where, until when. */
export function RequestRow({ request }: { request: SourcingRequest }) {
  const { t } = useTranslation('sourcing');
  return (
    <li className="sourcing-card" data-testid="request-row">
      <div className="sourcing-card__main">
        <Link to={requestPath(request.id)} className="sourcing-card__title">
          {request.text}
        </Link>
        <p className="sourcing-card__meta">
          {formatQuantity(request.quantity, request.unit)} · {request.province_name} · {t('until', { date: formatDayMonthYear(request.wanted_to) })}
        </p>
      </div>
      <div className="sourcing-card__side">
        <RequestStatusBadge status={request.status} />
        <span className="sourcing-card__count">{t('quoteCount', { count: request.quotes })}</span>
      </div>
    </li>
  );
}
