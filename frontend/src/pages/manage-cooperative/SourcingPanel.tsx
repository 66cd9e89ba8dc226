import { useTranslation } from 'react-i18next';
import { CoopSourcing } from '../sourcing/CoopSourcing.tsx';

/** SourcingPanel is the dashboard's "Nguồn hàng" tab: requests matched with the cooperative, its quotes and offers. */
export function SourcingPanel({ coop }: { coop: string }) {
  const { t } = useTranslation('sourcing');
  return (
    <section className="dashboard__panel" aria-labelledby="sourcing-title">
      <h2 id="sourcing-title" className="dashboard__heading">
        {t('panel.title')}
      </h2>
      <CoopSourcing coop={coop} />
    </section>
  );
}
