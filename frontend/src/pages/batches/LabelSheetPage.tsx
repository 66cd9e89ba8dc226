import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { getBatch, qrURL } from '../../api/trace.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { batchPath } from './paths.ts';
import './labels.css';

const counts = [6, 12, 24, 48] as const;

/** viDate writes an API date (2025-05-01) as it is printed on packs in Vietnam (01/05/2025). */
function viDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return y && m && d ? `${d}/${m}/${y}` : iso;
}

/**
 * LabelSheetPage is /quan-ly/:coop/lo-hang/:id/tem: a sheet of labels for a
 * batch, each with its QR code (the GS1 Digital Link), the product, the
 * batch code and its dates, laid out for A4 paper and printed with the
 * browser's own print dialogue.
 */
export function LabelSheetPage() {
  return <RequireSignIn>{() => <Sheet />}</RequireSignIn>;
}

function Sheet() {
  const { t } = useTranslation('trace');
  const { coop = '', id = '' } = useParams();
  const [count, setCount] = useState<number>(12);
  const batch = useLoad(`labels:${coop}:${id}`, (signal) => getBatch(coop, id, signal));
  if (batch.status !== 'ready') {
    return (
      <div className="label-page">
        {batch.status === 'loading' ? (
          <LoadingMessage>{t('batch.loading')}</LoadingMessage>
        ) : (
          <ErrorMessage title={t('batch.error')} error={batch.error} onRetry={batch.retry} />
        )}
        <Link to={batchPath(coop, id)}>{t('labels.back')}</Link>
      </div>
    );
  }
  const b = batch.data;
  const qr = qrURL(b.id, 'svg');
  return (
    <div className="label-page">
      <div className="label-page__tools">
        <Link to={batchPath(coop, id)}>{t('labels.back')}</Link>
        <label>
          {t('labels.count')}{' '}
          <select value={count} onChange={(e) => setCount(Number(e.target.value))} data-testid="label-count">
            {counts.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--primary" onClick={() => window.print()}>
          {t('labels.print')}
        </button>
      </div>
      <div className="label-sheet" data-testid="label-sheet">
        {Array.from({ length: count }, (_, i) => (
          <div key={i} className="label" data-testid="label">
            <img src={qr} alt={t('batch.qrAlt', { code: b.code })} className="label__qr" />
            <div className="label__text">
              <strong className="label__product">{b.product_name}</strong>
              <span>{t('batch.code', { code: b.code })}</span>
              <span>{t('labels.produced', { date: viDate(b.produced_on) })}</span>
              {b.expires_on && <span>{t('labels.expires', { date: viDate(b.expires_on) })}</span>}
              <span className="label__scan">{t('labels.scan')}</span>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
