import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubOrder, SubOrderStatus } from '../../api/orders.ts';
import { getLineBatches, listBatches, setLineBatches, tracePath, type Batch, type LineBatches } from '../../api/trace.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';

/** pickable are the sub-order statuses in which the server accepts picks. */
const pickable: readonly SubOrderStatus[] = ['confirmed', 'packed', 'shipped', 'delivered'];

/**
 * LineBatchPicker is where a cooperative packing a sub-order says which
 * batch each line came from; the buyer's order page then links each line to
 * the trace of its batch.
 */
export function LineBatchPicker({ coop, subOrder }: { coop: string; subOrder: SubOrder }) {
  if (!pickable.includes(subOrder.status)) return null;
  return <Picker coop={coop} subOrder={subOrder} />;
}

function Picker({ coop, subOrder }: { coop: string; subOrder: SubOrder }) {
  const { t } = useTranslation('trace');
  const { t: tc } = useTranslation();
  const lines = useLoad(`line-batches:${subOrder.id}`, (signal) => getLineBatches(coop, subOrder.id, signal));
  // The newest batches of each product of the sub-order: what packing picks from.
  const products = [...new Set(subOrder.lines.map((l) => l.product_id))];
  const batches = useLoad(`batch-choices:${coop}:${products.join(',')}`, async (signal) => {
    const pages = await Promise.all(products.map((p) => listBatches(coop, undefined, signal, p)));
    return pages.flatMap((page) => page.items);
  });
  const [picks, setPicks] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);

  if (lines.status !== 'ready' || batches.status !== 'ready') return null;
  const current = (l: LineBatches['lines'][number]) => picks[l.line_id] ?? l.batch_id ?? '';
  const choices = (productID: string): Batch[] => batches.data.filter((b) => b.product_id === productID);
  if (lines.data.lines.every((l) => choices(l.product_id).length === 0 && !l.batch_id)) {
    return (
      <p className="line-batches__none dashboard__muted" data-testid="line-batches-none">
        {t('lines.noBatches')}
      </p>
    );
  }

  async function save() {
    if (lines.status !== 'ready') return;
    setBusy(true);
    setMessage(null);
    try {
      const next = await setLineBatches(
        coop,
        subOrder.id,
        lines.data.lines.map((l) => ({ line_id: l.line_id, batch_id: current(l) || null })),
      );
      if (lines.status === 'ready') lines.replace(next);
      setPicks({});
      setMessage({ tone: 'ok', text: t('lines.saved') });
    } catch (err) {
      setMessage({ tone: 'bad', text: problemMessage(err, tc) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className="line-batches" data-testid="line-batches">
      <legend>{t('lines.title')}</legend>
      {lines.data.lines.map((l) => (
        <label key={l.line_id} className="line-batches__line">
          <span>
            {l.product_name} · {l.quantity} {l.unit}
          </span>
          <select
            value={current(l)}
            onChange={(e) => setPicks((old) => ({ ...old, [l.line_id]: e.target.value }))}
            data-testid="line-batch-select"
          >
            <option value="">{t('lines.none')}</option>
            {choices(l.product_id).map((b) => (
              <option key={b.id} value={b.id}>
                {t('batch.code', { code: b.code })} · {formatDate(b.produced_on, currentLanguage())}
              </option>
            ))}
          </select>
          {l.trace_url && (
            <a href={tracePath(l.trace_url)} className="line-batches__trace">
              {t('lines.trace', { code: l.batch_code })}
            </a>
          )}
        </label>
      ))}
      <button type="button" className="button button--secondary" onClick={() => void save()} disabled={busy} data-testid="line-batches-save">
        {busy ? t('lines.saving') : t('lines.save')}
      </button>
      {message && (
        <p role="status" className={message.tone === 'ok' ? 'form-message form-message--success' : 'form-message form-message--error'}>
          {message.text}
        </p>
      )}
    </fieldset>
  );
}
