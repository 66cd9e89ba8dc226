import { useTranslation } from 'react-i18next';
import type { OrderEvent } from '../../api/orders.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDateTime } from '../../lib/format.ts';

/** OrderTimeline is a sub-order's history: each status it reached, when, and who moved it. */
export function OrderTimeline({ events }: { events: OrderEvent[] }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  if (events.length === 0) return null;
  return (
    <details className="timeline" open={events.length <= 4}>
      <summary className="timeline__summary">{t('order.timeline')}</summary>
      <ol className="timeline__list" data-testid="timeline">
        {events.map((e, i) => (
          <li key={`${e.at}-${i}`} className="timeline__item">
            <span className="timeline__status">{t(`orderStatus.${e.to}`)}</span>
            <span className="timeline__meta">
              {formatDateTime(e.at, language)} · {t(`actor.${e.actor_role}`)}
            </span>
            {e.note && <span className="timeline__note">{e.note}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}
