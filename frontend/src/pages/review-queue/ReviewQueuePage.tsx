import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import {
  rejectCooperative,
  reviewQueue,
  verifyCooperative,
  type Cooperative,
  type CooperativeStatus,
} from '../../api/cooperatives.ts';
import { CooperativeStatusBadge } from '../../components/cooperative-status/CooperativeStatusBadge.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { formatDate, formatPhone } from '../../lib/format.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import type { User } from '../../api/identity.ts';
import './review-queue.css';

const statuses: CooperativeStatus[] = ['pending', 'rejected', 'verified'];

/** ReviewQueuePage is /duyet-hop-tac-xa: trade staff and admins verify or reject registered cooperatives. */
export function ReviewQueuePage() {
  return <RequireSignIn>{(user) => <ReviewQueue user={user} />}</RequireSignIn>;
}

function ReviewQueue({ user }: { user: User }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('status') ?? '';
  const status: CooperativeStatus = (statuses as string[]).includes(requested) ? (requested as CooperativeStatus) : 'pending';
  const allowed = user.roles.includes('trade_staff') || user.roles.includes('admin');
  const queue = usePaged(allowed ? `review:${status}` : 'none', (cursor, signal) =>
    allowed ? reviewQueue(status, cursor, signal) : Promise.resolve({ items: [], next_cursor: null }),
  );
  const { provinceName } = useProvinceList();

  if (!allowed) {
    return (
      <div className="review">
        <h1 className="review__title">{t('review.title')}</h1>
        <div className="status-message status-message--error" role="alert" data-testid="review-forbidden">
          {t('review.forbidden')}
        </div>
      </div>
    );
  }

  const decided = (coop: Cooperative) => queue.update((items) => items.filter((c) => c.id !== coop.id));

  return (
    <div className="review">
      <h1 className="review__title">{t('review.title')}</h1>
      <p className="review__intro">
        {user.trade_province ? t('review.scopeProvince', { province: provinceName(user.trade_province) }) : t('review.scopeNational')}
      </p>
      <nav className="dashboard__tabs review__tabs" aria-label={t('review.statusFilter')}>
        {statuses.map((s) => (
          <button
            key={s}
            type="button"
            className={s === status ? 'dashboard__tab dashboard__tab--current review__tab' : 'dashboard__tab review__tab'}
            aria-pressed={s === status}
            onClick={() => setParams(s === 'pending' ? {} : { status: s })}
          >
            {t(`review.tab.${s}`)}
          </button>
        ))}
      </nav>
      {queue.status === 'loading' && <LoadingMessage>{t('review.loading')}</LoadingMessage>}
      {queue.status === 'error' && <ErrorMessage title={t('review.error')} error={queue.error} onRetry={queue.retry} />}
      {queue.status === 'ready' && queue.items.length === 0 && (
        <EmptyMessage testId="review-empty">{t(`review.empty.${status}`)}</EmptyMessage>
      )}
      {queue.items.length > 0 && (
        <ul className="review__list">
          {queue.items.map((c) => (
            <ReviewItem key={c.id} coop={c} provinceName={provinceName(c.province)} onDecided={decided} />
          ))}
        </ul>
      )}
      <LoadMoreButton list={queue} />
    </div>
  );
}

/** ReviewItem is one registration: its details, and the verify and reject buttons (reject asks for a reason). */
function ReviewItem({
  coop,
  provinceName,
  onDecided,
}: {
  coop: Cooperative;
  provinceName: string;
  onDecided: (coop: Cooperative) => void;
}) {
  const { t } = useTranslation();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const reasonID = `reason-${coop.id}`;

  async function decide(action: () => Promise<Cooperative>) {
    setBusy(true);
    setError('');
    try {
      onDecided(await action());
    } catch (err) {
      setError(problemMessage(err, t));
      setBusy(false);
    }
  }

  function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('review.reasonRequired'));
      return;
    }
    void decide(() => rejectCooperative(coop.slug, reason.trim()));
  }

  return (
    <li className="review-item" data-testid="review-item" data-slug={coop.slug}>
      <div className="review-item__head">
        <h2 className="review-item__name">{coop.name}</h2>
        <CooperativeStatusBadge status={coop.status} />
      </div>
      <dl className="review-item__facts">
        <div>
          <dt>{t('coopForm.registrationNumber')}</dt>
          <dd>{coop.registration_number}</dd>
        </div>
        <div>
          <dt>{t('review.place')}</dt>
          <dd>{[coop.address, coop.commune, provinceName].filter(Boolean).join(', ')}</dd>
        </div>
        {(coop.phone || coop.email) && (
          <div>
            <dt>{t('coopForm.contact')}</dt>
            <dd>{[coop.phone ? formatPhone(coop.phone) : '', coop.email].filter(Boolean).join(' · ')}</dd>
          </div>
        )}
        <div>
          <dt>{t('review.submitted')}</dt>
          <dd>{formatDate(coop.created_at, currentLanguage())}</dd>
        </div>
        {coop.rejection_reason && (
          <div>
            <dt>{t('myCoops.reason')}</dt>
            <dd>{coop.rejection_reason}</dd>
          </div>
        )}
      </dl>
      {coop.story && <p className="review-item__story">{coop.story}</p>}
      {error && <FormMessage tone="error">{error}</FormMessage>}
      <div className="review-item__actions">
        {coop.status !== 'verified' && (
          <button
            type="button"
            className="button button--primary button--small"
            disabled={busy}
            onClick={() => void decide(() => verifyCooperative(coop.slug))}
            data-testid="verify"
          >
            {t('review.verify')}
          </button>
        )}
        {coop.status !== 'rejected' && !rejecting && (
          <button type="button" className="button button--danger button--small" disabled={busy} onClick={() => setRejecting(true)} data-testid="reject">
            {coop.status === 'verified' ? t('review.withdraw') : t('review.reject')}
          </button>
        )}
      </div>
      {rejecting && (
        <form className="review-item__reject" onSubmit={reject} noValidate>
          <label htmlFor={reasonID} className="field__label">
            {t('review.reason')}
          </label>
          <textarea
            id={reasonID}
            className="field__input"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="reject-reason"
          />
          <div className="review-item__actions">
            <button type="submit" className="button button--danger button--small" disabled={busy} data-testid="reject-confirm">
              {t('review.confirmReject')}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={() => setRejecting(false)}>
              {t('review.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
