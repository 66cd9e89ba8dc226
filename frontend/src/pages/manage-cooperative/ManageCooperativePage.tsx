import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { getRegistration, updateCooperative } from '../../api/cooperatives.ts';
import { CooperativeForm } from '../../components/cooperative-form/CooperativeForm.tsx';
import { CooperativeStatusBadge } from '../../components/cooperative-status/CooperativeStatusBadge.tsx';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { useState } from 'react';
import { MembersPanel } from './MembersPanel.tsx';
import { DelegatesPanel } from './DelegatesPanel.tsx';
import { ProductsPanel } from './ProductsPanel.tsx';
import { NewProductForm } from './NewProductForm.tsx';
import { CsvImportPanel } from './CsvImportPanel.tsx';
import { OrdersPanel } from './OrdersPanel.tsx';
import { ShippingFeesPanel } from './ShippingFeesPanel.tsx';
import { PaymentsPanel } from './PaymentsPanel.tsx';
import { BatchesPanel } from './BatchesPanel.tsx';
import { SourcingPanel } from './SourcingPanel.tsx';
import type { User } from '../../api/identity.ts';
import './manage-cooperative.css';

const tabs = ['san-pham', 'don-hang', 'lo-hang', 'nguon-hang', 'them-san-pham', 'nhap-csv', 'ho-so', 'thanh-vien', 'uy-quyen', 'phi-giao-hang', 'thanh-toan'] as const;
type Tab = (typeof tabs)[number];
/** managerTabs are shown only to the cooperative's managers (and admins). */
const managerTabs: readonly Tab[] = ['phi-giao-hang'];

/** ManageCooperativePage is /quan-ly/:coop, the manager's dashboard: products, orders, import, profile, members, delegates, shipping fees, payments. */
export function ManageCooperativePage() {
  return <RequireSignIn>{(user) => <Dashboard user={user} />}</RequireSignIn>;
}

function Dashboard({ user }: { user: User }) {
  const { t } = useTranslation();
  const { coop: slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const record = useLoad(slug, (signal) => getRegistration(slug, signal));
  const [saved, setSaved] = useState(false);
  const requested = params.get('muc') ?? '';

  if (record.status === 'loading') {
    return (
      <div className="dashboard">
        <LoadingMessage>{t('dashboard.loading')}</LoadingMessage>
      </div>
    );
  }
  if (record.status === 'error') {
    const missing = record.error instanceof ApiError && record.error.status === 404;
    return (
      <div className="dashboard">
        {missing ? (
          <div className="status-message">
            <h1>{t('dashboard.missing')}</h1>
            <Link to="/quan-ly">{t('dashboard.back')}</Link>
          </div>
        ) : (
          <ErrorMessage title={t('dashboard.error')} error={record.error} onRetry={record.retry} />
        )}
      </div>
    );
  }

  const coop = record.data;
  const manages =
    user.roles.includes('admin') || user.memberships.some((m) => m.cooperative_id === coop.id && m.role === 'coop_manager');
  const shown = tabs.filter((name) => manages || !managerTabs.includes(name));
  const tab: Tab = (shown as readonly string[]).includes(requested) ? (requested as Tab) : 'san-pham';
  return (
    <div className="dashboard">
      <nav className="breadcrumb" aria-label={t('product.breadcrumb')}>
        <Link to="/quan-ly">{t('myCoops.title')}</Link>
      </nav>
      <header className="dashboard__header">
        <h1 className="dashboard__title">{coop.name}</h1>
        <CooperativeStatusBadge status={coop.status} />
        {coop.status === 'verified' && (
          <Link to={`/hop-tac-xa/${coop.slug}`} className="dashboard__storefront">
            {t('myCoops.storefront')}
          </Link>
        )}
      </header>
      {coop.status === 'pending' && <p className="dashboard__notice">{t('myCoops.pendingNote')}</p>}
      {coop.status === 'rejected' && (
        <p className="dashboard__notice dashboard__notice--bad" data-testid="rejection-reason">
          <strong>{t('myCoops.reason')}</strong> {coop.rejection_reason} {t('dashboard.resubmitHint')}
        </p>
      )}

      <nav className="dashboard__tabs" aria-label={t('dashboard.sections')}>
        {shown.map((name) => (
          <Link
            key={name}
            to={`?muc=${name}`}
            replace
            className={name === tab ? 'dashboard__tab dashboard__tab--current' : 'dashboard__tab'}
            aria-current={name === tab ? 'page' : undefined}
            data-testid={`tab-${name}`}
          >
            {t(`dashboard.tab.${name}`)}
          </Link>
        ))}
      </nav>

      {tab === 'san-pham' && <ProductsPanel coop={coop.slug} />}
      {tab === 'don-hang' && <OrdersPanel coop={coop.slug} />}
      {tab === 'lo-hang' && <BatchesPanel coop={coop.slug} province={coop.province} />}
      {tab === 'nguon-hang' && <SourcingPanel coop={coop.slug} />}
      {tab === 'them-san-pham' && (
        <NewProductForm
          coop={coop.slug}
          province={coop.province}
          onCreated={() => setParams({ muc: 'san-pham' }, { replace: true })}
        />
      )}
      {tab === 'nhap-csv' && <CsvImportPanel coop={coop.slug} coopName={coop.name} />}
      {tab === 'ho-so' && (
        <section className="dashboard__panel" aria-labelledby="profile-title">
          <h2 id="profile-title" className="dashboard__heading">
            {t('dashboard.profile')}
          </h2>
          {saved && <FormMessage tone="success">{t('dashboard.profileSaved')}</FormMessage>}
          <CooperativeForm
            key={coop.updated_at}
            coop={coop}
            submitLabel={coop.status === 'rejected' ? t('dashboard.resubmit') : t('dashboard.saveProfile')}
            busyLabel={t('dashboard.saving')}
            onSave={async (profile) => {
              setSaved(false);
              record.replace(await updateCooperative(coop.slug, profile));
              setSaved(true);
            }}
          />
        </section>
      )}
      {tab === 'thanh-vien' && <MembersPanel coop={coop.slug} />}
      {tab === 'uy-quyen' && <DelegatesPanel coop={coop.slug} coopID={coop.id} />}
      {tab === 'phi-giao-hang' && <ShippingFeesPanel coop={coop.slug} />}
      {tab === 'thanh-toan' && <PaymentsPanel coop={coop} user={user} />}
    </div>
  );
}
