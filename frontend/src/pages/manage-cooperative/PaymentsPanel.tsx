import { useTranslation } from 'react-i18next';
import type { Cooperative } from '../../api/cooperatives.ts';
import type { User } from '../../api/identity.ts';
import { getLedger } from '../../api/payments.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { BankAccountSection } from './BankAccountSection.tsx';
import { LedgerBalances } from './LedgerBalances.tsx';
import { PayoutForm } from './PayoutForm.tsx';
import { StatementDownload } from './StatementDownload.tsx';

/**
 * PaymentsPanel is the dashboard's "Thanh toán" tab: the bank account
 * buyers transfer to (its members see it, managers edit it), the
 * settlement balances between the cooperative and the platform with a
 * statement to download, and for trade staff of its province and admins
 * a form to record a payout paid to the cooperative.
 */
export function PaymentsPanel({ coop, user }: { coop: Cooperative; user: User }) {
  const { t } = useTranslation();
  const ledger = useLoad(`ledger:${coop.slug}`, (signal) => getLedger(coop.slug, signal));
  const admin = user.roles.includes('admin');
  const membership = user.memberships.find((m) => m.cooperative_id === coop.id);
  const staff = user.roles.includes('trade_staff') && (!user.trade_province || user.trade_province === coop.province);
  const replaceLedger = ledger.status === 'ready' ? ledger.replace : undefined;

  return (
    <section className="dashboard__panel payments-panel" aria-labelledby="payments-title">
      <h2 id="payments-title" className="dashboard__heading">
        {t('coopPayments.title')}
      </h2>
      {(membership || admin) && <BankAccountSection coop={coop.slug} editable={admin || membership?.role === 'coop_manager'} />}

      <section className="payments-panel__box" aria-labelledby="ledger-title">
        <h3 id="ledger-title" className="dashboard__subheading">
          {t('coopPayments.ledger')}
        </h3>
        <p className="dashboard__muted">{t('coopPayments.ledgerIntro')}</p>
        {ledger.status === 'loading' && <LoadingMessage>{t('dashboard.loading')}</LoadingMessage>}
        {ledger.status === 'error' && <ErrorMessage title={t('coopPayments.ledgerError')} error={ledger.error} onRetry={ledger.retry} />}
        {ledger.status === 'ready' && <LedgerBalances ledger={ledger.data} />}
        <StatementDownload coop={coop.slug} />
      </section>

      {(admin || staff) && (
        <PayoutForm
          coop={coop.slug}
          onRecorded={async () => {
            const next = await getLedger(coop.slug);
            replaceLedger?.(next);
          }}
        />
      )}
    </section>
  );
}
