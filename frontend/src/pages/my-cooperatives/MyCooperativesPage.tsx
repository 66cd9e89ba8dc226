import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { myCooperatives, type MyCooperative } from '../../api/cooperatives.ts';
import { CooperativeStatusBadge } from '../../components/cooperative-status/CooperativeStatusBadge.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { useSession } from '../../session/SessionContext.ts';
import { MyInvitations } from './MyInvitations.tsx';
import './my-cooperatives.css';

/** MyCooperativesPage is /quan-ly: the invitations to the user and their cooperatives with their verification status. */
export function MyCooperativesPage() {
  return <RequireSignIn>{(user) => <MyCooperatives key={user.id} />}</RequireSignIn>;
}

function MyCooperatives() {
  const { t } = useTranslation();
  const location = useLocation();
  const registered = (location.state as { registered?: string } | null)?.registered;
  const coops = useLoad('mine', (signal) => myCooperatives(signal));
  const session = useSession();
  const { provinceName } = useProvinceList();

  return (
    <div className="my-coops">
      <div className="my-coops__header">
        <h1 className="my-coops__title">{t('myCoops.title')}</h1>
        <Link to="/dang-ky-hop-tac-xa" className="button button--primary" data-testid="register-coop-link">
          {t('myCoops.register')}
        </Link>
      </div>
      {registered && <FormMessage tone="success">{t('myCoops.registered', { name: registered })}</FormMessage>}
      <MyInvitations
        onAccepted={() => {
          // The new membership shows in the list and in the session (the header's links).
          session.reload();
          coops.retry();
        }}
      />
      {coops.status === 'loading' && <LoadingMessage>{t('myCoops.loading')}</LoadingMessage>}
      {coops.status === 'error' && <ErrorMessage title={t('myCoops.error')} error={coops.error} onRetry={coops.retry} />}
      {coops.status === 'ready' && coops.data.length === 0 && (
        <EmptyMessage testId="my-coops-empty">
          <p>{t('myCoops.empty')}</p>
        </EmptyMessage>
      )}
      {coops.status === 'ready' && coops.data.length > 0 && (
        <ul className="my-coops__list">
          {coops.data.map((c) => (
            <MyCooperativeItem key={c.id} coop={c} provinceName={provinceName} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** MyCooperativeItem is one of the user's cooperatives: status, the rejection reason, and where to go next. */
function MyCooperativeItem({
  coop,
  provinceName,
}: {
  coop: MyCooperative;
  provinceName: (slug: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <li className="my-coop" data-testid="my-coop" data-slug={coop.slug}>
      <div className="my-coop__head">
        <h2 className="my-coop__name">{coop.name}</h2>
        <CooperativeStatusBadge status={coop.status} />
      </div>
      <p className="my-coop__meta">
        {provinceName(coop.province)} · {t(`roles.${coop.role}`)}
      </p>
      {coop.status === 'pending' && <p className="my-coop__note">{t('myCoops.pendingNote')}</p>}
      {coop.pending_changes && <PendingChanges changes={coop.pending_changes} provinceName={provinceName} />}
      {coop.status === 'rejected' && coop.rejection_reason && (
        <p className="my-coop__reason" data-testid="rejection-reason">
          <strong>{t('myCoops.reason')}</strong> {coop.rejection_reason}
        </p>
      )}
      <div className="my-coop__actions">
        <Link to={`/quan-ly/${coop.slug}`} className="button button--primary button--small" data-testid="manage-link">
          {coop.status === 'rejected' && coop.role === 'coop_manager' ? t('myCoops.fixAndResubmit') : t('myCoops.manage')}
        </Link>
        {coop.status === 'verified' && (
          <Link to={`/hop-tac-xa/${coop.slug}`} className="button button--secondary button--small">
            {t('myCoops.storefront')}
          </Link>
        )}
      </div>
    </li>
  );
}

/** PendingChanges lists a verified cooperative's identity changes that wait for trade staff. */
function PendingChanges({
  changes,
  provinceName,
}: {
  changes: NonNullable<MyCooperative['pending_changes']>;
  provinceName: (slug: string) => string;
}) {
  const { t } = useTranslation('members');
  return (
    <div className="my-coop__pending" data-testid="pending-changes">
      <p>
        <strong>{t('pendingChanges.title')}</strong>
      </p>
      <ul>
        {changes.name && <li>{t('pendingChanges.name', { value: changes.name })}</li>}
        {changes.registration_number && <li>{t('pendingChanges.registration_number', { value: changes.registration_number })}</li>}
        {changes.province && <li>{t('pendingChanges.province', { value: provinceName(changes.province) })}</li>}
      </ul>
      <p className="my-coop__note">{t('pendingChanges.note')}</p>
    </div>
  );
}
