import { useTranslation } from 'react-i18next';
import type { OrderLine } from '../../api/orders.ts';
import { getLineTraces, tracePath } from '../../api/trace.ts';
import { useLoad } from '../../lib/useLoad.ts';

/**
 * LineTraceLinks shows the buyer, under the lines of a sub-order, where each
 * product they received came from: a link to the trace page of the batch
 * the cooperative packed it from. Lines without a batch show nothing.
 */
export function LineTraceLinks({ lines }: { lines: OrderLine[] }) {
  const { t } = useTranslation('trace');
  const ids = lines.map((l) => l.id);
  const traces = useLoad(`line-traces:${ids.join(',')}`, (signal) => getLineTraces(ids, signal));
  if (traces.status !== 'ready' || traces.data.length === 0) return null;
  const names = new Map(lines.map((l) => [l.id, l.product_name]));
  return (
    <ul className="line-traces" data-testid="line-traces">
      {traces.data.map((tr) => (
        <li key={tr.line_id}>
          <a href={tracePath(tr.trace_url)} data-testid="line-trace-link">
            {t('lines.buyerTrace', { product: names.get(tr.line_id) ?? '', code: tr.batch_code })}
          </a>
        </li>
      ))}
    </ul>
  );
}
