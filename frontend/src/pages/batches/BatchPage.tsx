import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { epcisURL, getBatch, qrURL, tracePath, verifyBatch, type BatchDetail, type TraceEvent } from '../../api/trace.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate, formatDateTime, formatPhone, formatVND } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { EventForm } from './EventForm.tsx';
import { batchesTabPath, labelsPath } from './paths.ts';
import './batches.css';

/** BatchPage is /quan-ly/:coop/lo-hang/:id: one batch as its cooperative sees it, with the form to record what happens next. */
export function BatchPage() {
  return <RequireSignIn>{() => <Batch />}</RequireSignIn>;
}

function Batch() {
  const { t } = useTranslation('trace');
  const { coop = '', id = '' } = useParams();
  const batch = useLoad(`batch:${coop}:${id}`, (signal) => getBatch(coop, id, signal));
  if (batch.status === 'loading') {
    return (
      <div className="dashboard">
        <LoadingMessage>{t('batch.loading')}</LoadingMessage>
      </div>
    );
  }
  if (batch.status === 'error') {
    const missing = batch.error instanceof ApiError && batch.error.status === 404;
    return (
      <div className="dashboard">
        {missing ? (
          <div className="status-message">
            <h1>{t('batch.missing')}</h1>
            <Link to={batchesTabPath(coop)}>{t('batch.back')}</Link>
          </div>
        ) : (
          <ErrorMessage title={t('batch.error')} error={batch.error} onRetry={batch.retry} />
        )}
      </div>
    );
  }
  const b = batch.data;
  const added = (e: TraceEvent) => batch.replace({ ...b, events: [...b.events, e], event_count: b.event_count + 1 });
  return <BatchView coop={coop} b={b} onAdded={added} />;
}

function BatchView({ coop, b, onAdded }: { coop: string; b: BatchDetail; onAdded: (e: TraceEvent) => void }) {
  const { t } = useTranslation('trace');
  const { provinceName } = useProvinceList();
  const lang = currentLanguage();
  const place = (p: BatchDetail['area']) => [p.name, p.commune, p.province ? provinceName(p.province) : ''].filter(Boolean).join(', ');
  const head = b.events.length > 0 ? (b.events[b.events.length - 1]?.hash ?? '') : b.hash;
  const verification = useLoad(`verify:${b.id}:${head}`, (signal) => verifyBatch(b.id, signal));
  // correctedBy[n] is the first later event that corrects event n.
  const correctedBy = new Map<number, number>();
  for (const e of b.events) {
    if (e.corrects_seq != null && !correctedBy.has(e.corrects_seq)) correctedBy.set(e.corrects_seq, e.seq);
  }
  return (
    <div className="dashboard batch-page" data-testid="batch-page" data-code={b.code}>
      <nav className="breadcrumb">
        <Link to={batchesTabPath(coop)}>{t('batch.back')}</Link>
      </nav>
      <header className="batch-page__head">
        <h1 className="dashboard__title">{b.product_name}</h1>
        <p className="batch-page__code" data-testid="batch-code">
          {t('batch.code', { code: b.code })}
        </p>
        {verification.status === 'ready' && (
          <p
            className={verification.data.valid ? 'batch-verify batch-verify--ok' : 'batch-verify batch-verify--bad'}
            data-testid="batch-verify"
            data-valid={verification.data.valid}
          >
            {verification.data.valid
              ? t('batch.valid', { count: verification.data.events })
              : t('batch.broken', { seq: verification.data.broken_at?.seq ?? 0, reason: verification.data.broken_at?.reason ?? '' })}
          </p>
        )}
      </header>

      <section className="batch-qr" aria-labelledby="qr-title">
        <h2 id="qr-title" className="visually-hidden">
          {t('batch.qr')}
        </h2>
        <img src={qrURL(b.id, 'svg')} alt={t('batch.qrAlt', { code: b.code })} width={160} height={160} className="batch-qr__image" data-testid="batch-qr" />
        <div className="batch-qr__links">
          <a href={tracePath(b.trace_url)} className="button button--primary" data-testid="trace-link" data-url={b.trace_url}>
            {t('batch.openTrace')}
          </a>
          <Link to={labelsPath(coop, b.id)} className="button button--secondary" data-testid="labels-link">
            {t('batch.labels')}
          </Link>
          <a href={qrURL(b.id, 'png') + '?size=1024'} download={`qr-${b.code}.png`} className="batch-qr__small">
            {t('batch.qrPNG')}
          </a>
          <a href={epcisURL(b.id)} download={`epcis-${b.code}.jsonld`} className="batch-qr__small">
            {t('batch.epcis')}
          </a>
          <p className="batch-qr__url">{b.trace_url}</p>
        </div>
      </section>

      <dl className="batch-facts">
        <div>
          <dt>{t('form.quantity')}</dt>
          <dd>
            {b.quantity} {b.unit}
          </dd>
        </div>
        <div>
          <dt>{t('form.produced')}</dt>
          <dd>{formatDate(b.produced_on, lang)}</dd>
        </div>
        {b.expires_on && (
          <div>
            <dt>{t('form.expires')}</dt>
            <dd>{formatDate(b.expires_on, lang)}</dd>
          </div>
        )}
        {b.gtin && (
          <div>
            <dt>GTIN</dt>
            <dd>{b.gtin}</dd>
          </div>
        )}
        <div>
          <dt>{t('form.area')}</dt>
          <dd>{place(b.area)}</dd>
        </div>
        <div>
          <dt>{t('batch.scans')}</dt>
          <dd data-testid="batch-scans">{b.scan_count}</dd>
        </div>
        {b.inputs.map((i, n) => (
          <div key={`i${n}`}>
            <dt>{t(`inputKind.${i.kind}` as const)}</dt>
            <dd>
              {[i.name, i.amount, i.applied_on ? formatDate(i.applied_on, lang) : '', i.cost_vnd != null ? formatVND(i.cost_vnd) : '']
                .filter(Boolean)
                .join(' · ')}
            </dd>
          </div>
        ))}
        {b.certifications.map((c, n) => (
          <div key={`c${n}`}>
            <dt>{t('batch.cert')}</dt>
            <dd>{[c.name, c.number, c.issuer, c.valid_until ? formatDate(c.valid_until, lang) : ''].filter(Boolean).join(' · ')}</dd>
          </div>
        ))}
      </dl>

      <EventForm coop={coop} batchID={b.id} seqs={b.events.map((e) => e.seq)} defaultProvince={b.area.province} onAdded={onAdded} />

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title" className="dashboard__heading">
          {t('batch.timeline')}
        </h2>
        {b.events.length === 0 ? (
          <p className="dashboard__muted" data-testid="timeline-empty">
            {t('batch.noEvents')}
          </p>
        ) : (
          <ol className="batch-timeline" data-testid="timeline">
            {b.events.map((e) => (
              <li key={e.id} className="batch-timeline__item" data-testid="timeline-event" data-kind={e.kind}>
                <p className="batch-timeline__head">
                  <strong>
                    {e.seq}. {t(`kind.${e.kind}`)}
                  </strong>
                  {e.result && <span className={`batch-tag batch-tag--${e.result}`}>{t(`result.${e.result as 'passed' | 'failed'}`)}</span>}
                  {e.corrects_seq != null && <span className="batch-tag">{t('batch.corrects', { seq: e.corrects_seq })}</span>}
                  {correctedBy.has(e.seq) && <span className="batch-tag">{t('batch.correctedBy', { seq: correctedBy.get(e.seq) ?? 0 })}</span>}
                </p>
                <p className="batch-timeline__when">
                  {formatDateTime(e.occurred_at, lang)}
                  {place(e.place) && ` · ${place(e.place)}`}
                </p>
                {(e.actor_name || e.actor_phone) && (
                  <p>
                    {e.actor_name}
                    {e.actor_phone && ` · ${formatPhone(e.actor_phone)}`}
                  </p>
                )}
                {e.inspector && <p>{t('batch.inspector', { name: e.inspector })}</p>}
                {e.notes && <p className="batch-timeline__notes">{e.notes}</p>}
                {e.cost_vnd != null && <p className="dashboard__muted">{t('batch.cost', { amount: formatVND(e.cost_vnd) })}</p>}
                {e.photo_urls.length > 0 && (
                  <div className="batch-timeline__photos">
                    {e.photo_urls.map((u) => (
                      <a key={u} href={u}>
                        <img src={u} alt={t('event.photoAlt')} loading="lazy" width={96} height={96} />
                      </a>
                    ))}
                  </div>
                )}
                <p className="batch-timeline__hash" title={e.hash}>
                  SHA-256 {e.hash.slice(0, 16)}…
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
