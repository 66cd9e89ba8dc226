import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { listOffers } from '../../api/sourcing.ts';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { usePaged } from '../../lib/usePaged.ts';
import { pageOf } from './common.tsx';
import { OfferRow } from './CoopSourcing.tsx';
import { sourcingBoardPath } from './paths.ts';
import './sourcing.css';

/** OffersPage is /nguon-hang/nguon-cung: what verified cooperatives can supply, newest first. */
export function OffersPage() {
  const { t } = useTranslation('sourcing');
  const list = usePaged('sourcing-offers', (cursor, signal) => pageOf(cursor, (page) => listOffers(page, undefined, signal)));
  return (
    <div className="sourcing">
      <nav className="breadcrumb" aria-label={t('breadcrumb')}>
        <Link to={sourcingBoardPath}>{t('board.title')}</Link>
      </nav>
      <h1 className="sourcing__title">{t('offers.title')}</h1>
      <p className="sourcing__lead">{t('offers.lead')}</p>
      {list.status === 'loading' && <LoadingMessage>{t('loading')}</LoadingMessage>}
      {list.status === 'error' && <ErrorMessage title={t('loadError')} error={list.error} onRetry={list.retry} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <EmptyMessage testId="offers-empty">
          <p>{t('offers.empty')}</p>
        </EmptyMessage>
      )}
      <ul className="sourcing__list">
        {list.items.map((o) => (
          <OfferRow key={o.id} offer={o} />
        ))}
      </ul>
      <LoadMoreButton list={list} />
    </div>
  );
}
