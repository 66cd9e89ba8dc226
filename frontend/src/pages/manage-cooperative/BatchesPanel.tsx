import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listBatches } from '../../api/trace.ts';
import { EmptyMessage, ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { LoadMoreButton } from '../../components/status/LoadMoreButton.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate } from '../../lib/format.ts';
import { usePaged } from '../../lib/usePaged.ts';
import { NewBatchForm } from '../batches/NewBatchForm.tsx';
import { batchPath } from '../batches/paths.ts';
import '../batches/batches.css';

/**
 * BatchesPanel is the cooperative's traceability: its batches, newest
 * first, each opening its page (events, QR code, labels), and the form that
 * starts a batch.
 */
export function BatchesPanel({ coop, province }: { coop: string; province: string }) {
  const { t } = useTranslation('trace');
  const batches = usePaged(`batches:${coop}`, (cursor, signal) => listBatches(coop, cursor, signal));
  const lang = currentLanguage();
  return (
    <section className="dashboard__panel batches" aria-labelledby="batches-title" data-testid="batches-panel">
      <h2 id="batches-title" className="dashboard__heading">
        {t('panel.title')}
      </h2>
      <p className="dashboard__muted">{t('panel.intro')}</p>
      <NewBatchForm coop={coop} province={province} />
      {batches.status === 'loading' && <LoadingMessage>{t('panel.loading')}</LoadingMessage>}
      {batches.status === 'error' && <ErrorMessage title={t('panel.error')} error={batches.error} onRetry={batches.retry} />}
      {batches.status === 'ready' && batches.items.length === 0 && <EmptyMessage testId="batches-empty">{t('panel.empty')}</EmptyMessage>}
      {batches.items.length > 0 && (
        <ul className="batch-list" data-testid="batch-list">
          {batches.items.map((b) => (
            <li key={b.id} className="batch-list__item" data-testid="batch-item" data-code={b.code}>
              <Link to={batchPath(coop, b.id)} className="batch-list__link">
                <span className="batch-list__product">{b.product_name}</span>
                <span className="batch-list__code">{t('batch.code', { code: b.code })}</span>
                <span className="batch-list__meta">
                  {t('panel.meta', {
                    date: formatDate(b.produced_on, lang),
                    quantity: b.quantity,
                    unit: b.unit,
                    events: b.event_count,
                    scans: b.scan_count,
                  })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <LoadMoreButton list={batches} />
    </section>
  );
}
