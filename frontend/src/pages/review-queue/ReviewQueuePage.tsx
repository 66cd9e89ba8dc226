import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
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
import { useLoad, type Load } from '../../lib/useLoad.ts';
import { Confirm } from '../admin/Confirm.tsx';
import { reviewCheck, type Duplicate, type ReviewCheck } from '../admin/adminApi.ts';
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
  const { t: ta } = useTranslation('admin');
  // result is the cooperative last decided on, to say what happened.
  const [result, setResult] = useState<{ coop: Cooperative; changes: boolean } | null>(null);

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

  const decided = (coop: Cooperative, changes: boolean) => {
    queue.update((items) => items.filter((c) => c.id !== coop.id));
    setResult({ coop, changes });
  };

  return (
    <div className="review">
      <h1 className="review__title">{t('review.title')}</h1>
      <p className="review__intro">
        {user.trade_province ? t('review.scopeProvince', { province: provinceName(user.trade_province) }) : t('review.scopeNational')}
      </p>
      {result && (
        <div className="form-message form-message--success review__result" role="status" data-testid="review-result" data-status={result.coop.status}>
          <span>{resultMessage(result.coop, status, result.changes, ta)}</span>
          {result.coop.status === 'verified' && (
            <Link to={`/hop-tac-xa/${result.coop.slug}`} data-testid="review-result-storefront">
              {ta('review.storefront')}
            </Link>
          )}
          <button type="button" className="review__dismiss" aria-label={ta('review.dismiss')} onClick={() => setResult(null)}>
            ×
          </button>
        </div>
      )}
      <nav className="dashboard__tabs review__tabs" aria-label={t('review.statusFilter')}>
        {statuses.map((s) => (
          <button
            key={s}
            type="button"
            className={s === status ? 'dashboard__tab dashboard__tab--current review__tab' : 'dashboard__tab review__tab'}
            aria-pressed={s === status}
            onClick={() => {
              setResult(null);
              setParams(s === 'pending' ? {} : { status: s });
            }}
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

/** resultMessage says what the reviewer's decision did. */
function resultMessage(coop: Cooperative, from: CooperativeStatus, changes: boolean, ta: ReturnType<typeof useTranslation<'admin'>>['t']): string {
  if (changes) return ta(coop.rejection_reason ? 'review.changesRejected' : 'review.changesVerified', { name: coop.name });
  if (coop.status === 'verified') return ta('review.verified', { name: coop.name });
  if (from === 'verified') return ta('review.withdrawn', { name: coop.name });
  return ta('review.rejected', { name: coop.name });
}

/** PendingChanges are the identity changes of a verified cooperative that wait for review, when the API sends them. */
type PendingChanges = Record<string, unknown>;

function pendingChanges(coop: Cooperative): PendingChanges | null {
  const value = (coop as Cooperative & { pending_changes?: unknown }).pending_changes;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  return Object.keys(value).length > 0 ? (value as PendingChanges) : null;
}

const fieldLabels: Record<string, 'coopForm.name' | 'coopForm.registrationNumber' | 'coopForm.province' | 'coopForm.commune'> = {
  name: 'coopForm.name',
  registration_number: 'coopForm.registrationNumber',
  province: 'coopForm.province',
  commune: 'coopForm.commune',
};

/**
 * ReviewItem is one registration: who applied, its details, possible
 * duplicates, changes waiting for review, and the verify and reject buttons;
 * each decision is confirmed first (reject asks for a reason).
 */
function ReviewItem({
  coop,
  provinceName,
  onDecided,
}: {
  coop: Cooperative;
  provinceName: string;
  onDecided: (coop: Cooperative, changes: boolean) => void;
}) {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('admin');
  const { provinceName: nameOf } = useProvinceList();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState<'verify' | 'reject' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const check = useLoad(`review-check:${coop.id}`, (signal) => reviewCheck(coop.id, signal));
  const duplicates = check.status === 'ready' ? check.data.duplicates : [];
  const changes = pendingChanges(coop);
  const reasonID = `reason-${coop.id}`;

  async function decide(action: () => Promise<Cooperative>) {
    setBusy(true);
    setError('');
    try {
      onDecided(await action(), changes !== null);
    } catch (err) {
      setError(problemMessage(err, t));
      setBusy(false);
      setAsking(null);
    }
  }

  function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('review.reasonRequired'));
      return;
    }
    setError('');
    setAsking('reject');
  }

  const applicant = check.status === 'ready' ? check.data.applicant : undefined;
  return (
    <li className="review-item" data-testid="review-item" data-slug={coop.slug}>
      <div className="review-item__head">
        <h2 className="review-item__name">{coop.name}</h2>
        <CooperativeStatusBadge status={coop.status} />
      </div>
      <dl className="review-item__facts">
        <div data-testid="review-applicant">
          <dt>{ta('review.applicant')}</dt>
          <dd>
            {applicant === undefined
              ? '…'
              : applicant === null
                ? ta('review.noApplicant')
                : [applicant.full_name, applicant.email, applicant.phone ? formatPhone(applicant.phone) : ''].filter(Boolean).join(' · ')}
          </dd>
        </div>
        <div>
          <dt>{t('coopForm.registrationNumber')}</dt>
          <dd data-testid="review-registration">{coop.registration_number || ta('review.unknown')}</dd>
        </div>
        <div>
          <dt>{ta('review.founded')}</dt>
          <dd data-testid="review-founded">{coop.founded_year ?? ta('review.unknown')}</dd>
        </div>
        <div>
          <dt>{ta('review.members')}</dt>
          <dd data-testid="review-members">{coop.member_count ? ta('review.membersCount', { count: coop.member_count }) : ta('review.unknown')}</dd>
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
      {changes && (
        <div className="review-item__changes" data-testid="review-changes">
          <h3 className="review-item__subtitle">{ta('review.pendingChanges')}</h3>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{ta('review.field')}</th>
                  <th scope="col">{ta('review.from')}</th>
                  <th scope="col">{ta('review.to')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(changes).map(([field, to]) => {
                  const label = fieldLabels[field];
                  const current = (coop as unknown as Record<string, unknown>)[field];
                  const show = (v: unknown) => (field === 'province' && typeof v === 'string' ? nameOf(v) : v == null ? '' : String(v));
                  return (
                    <tr key={field}>
                      <th scope="row">{label ? t(label) : field}</th>
                      <td>{show(current)}</td>
                      <td>→ {show(to)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {coop.story && <p className="review-item__story">{coop.story}</p>}
      <Duplicates check={check} duplicates={duplicates} nameOf={nameOf} />
      {error && <FormMessage tone="error">{error}</FormMessage>}
      {asking === null && (
        <div className="review-item__actions">
          {(coop.status !== 'verified' || changes) && (
            <button
              type="button"
              className="button button--primary button--small"
              disabled={busy}
              onClick={() => {
                setRejecting(false);
                setAsking('verify');
              }}
              data-testid="verify"
            >
              {changes ? ta('review.verifyChanges') : t('review.verify')}
            </button>
          )}
          {(coop.status !== 'rejected' || changes) && !rejecting && (
            <button type="button" className="button button--danger button--small" disabled={busy} onClick={() => setRejecting(true)} data-testid="reject">
              {changes ? ta('review.rejectChanges') : coop.status === 'verified' ? t('review.withdraw') : t('review.reject')}
            </button>
          )}
        </div>
      )}
      {asking === 'verify' && (
        <Confirm
          question={
            changes
              ? ta('review.confirmVerifyChanges', { name: coop.name })
              : duplicates.length > 0
                ? ta('review.confirmVerifyDuplicates', { name: coop.name, count: duplicates.length })
                : ta('review.confirmVerify', { name: coop.name })
          }
          yes={ta('review.yesVerify')}
          no={ta('review.cancel')}
          busy={busy}
          onYes={() => void decide(() => verifyCooperative(coop.slug))}
          onNo={() => setAsking(null)}
          testId="verify-confirm"
        />
      )}
      {rejecting && (
        <form className="review-item__reject" onSubmit={reject} noValidate>
          <label htmlFor={reasonID} className="field__label">
            {t('review.reason')}
          </label>
          <textarea
            id={reasonID}
            className="field__input"
            rows={3}
            maxLength={5000}
            value={reason}
            readOnly={asking === 'reject'}
            onChange={(e) => setReason(e.target.value)}
            data-testid="reject-reason"
          />
          {asking !== 'reject' && (
            <div className="review-item__actions">
              <button type="submit" className="button button--danger button--small" disabled={busy} data-testid="reject-confirm">
                {t('review.confirmReject')}
              </button>
              <button type="button" className="button button--secondary button--small" onClick={() => setRejecting(false)}>
                {t('review.cancel')}
              </button>
            </div>
          )}
        </form>
      )}
      {asking === 'reject' && (
        <Confirm
          question={
            changes
              ? ta('review.confirmRejectChanges', { name: coop.name })
              : coop.status === 'verified'
                ? ta('review.confirmWithdraw', { name: coop.name })
                : ta('review.confirmReject', { name: coop.name })
          }
          yes={ta('review.yesReject')}
          no={ta('review.cancel')}
          danger
          busy={busy}
          onYes={() => void decide(() => rejectCooperative(coop.slug, reason.trim()))}
          onNo={() => setAsking(null)}
          testId="reject-final"
        />
      )}
    </li>
  );
}

/** Duplicates lists the cooperatives a registration may duplicate, or says there are none. */
function Duplicates({
  check,
  duplicates,
  nameOf,
}: {
  check: Load<ReviewCheck>;
  duplicates: Duplicate[];
  nameOf: (slug: string) => string;
}) {
  const { t: ta } = useTranslation('admin');
  if (check.status === 'loading') return <p className="review-item__check">{ta('review.checking')}</p>;
  if (check.status === 'error') {
    return (
      <p className="review-item__check" role="alert">
        {ta('review.checkFailed')}{' '}
        <button type="button" className="review__dismiss" onClick={check.retry}>
          ↻
        </button>
      </p>
    );
  }
  if (duplicates.length === 0) {
    return (
      <p className="review-item__check review-item__check--clear" data-testid="review-no-duplicates">
        {ta('review.noDuplicates')}
      </p>
    );
  }
  return (
    <div className="review-item__duplicates" data-testid="review-duplicates">
      <h3 className="review-item__subtitle">{ta('review.duplicates', { count: duplicates.length })}</h3>
      <ul className="review-item__duplicate-list">
        {duplicates.map((d) => (
          <li key={d.id} data-testid="review-duplicate" data-slug={d.slug}>
            {d.status === 'verified' ? <Link to={`/hop-tac-xa/${d.slug}`}>{d.name}</Link> : <strong>{d.name}</strong>}{' '}
            <CooperativeStatusBadge status={d.status} />{' '}
            <span className="review-item__why">
              {[
                d.same_registration ? ta('review.sameRegistration', { number: d.registration_number }) : '',
                !d.same_registration || d.name_similarity >= 0.6
                  ? ta('review.similarName', { percent: Math.round(d.name_similarity * 100) })
                  : '',
                nameOf(d.province),
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
