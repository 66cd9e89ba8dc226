import { useTranslation } from 'react-i18next';
import type { SourcingRequest } from '../../api/sourcing.ts';
import { formatDayMonthYear, formatVND } from '../../lib/format.ts';
import type { Page } from '../../lib/usePaged.ts';
import { sourcingPageSize } from '../../api/sourcing.ts';

const qty = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 3 });

/** formatQuantity writes a quantity with its unit the Vietnamese way: 12,5 tấn. */
export function formatQuantity(q: number, unit: string): string {
  return `${qty.format(q)} ${unit}`;
}

/** pageOf adapts a numbered page of a sourcing list to usePaged's cursors. */
export async function pageOf<T>(cursor: string | undefined, load: (page: number) => Promise<T[]>): Promise<Page<T>> {
  const page = cursor ? Number(cursor) : 1;
  const items = await load(page);
  return { items, next_cursor: items.length === sourcingPageSize && page < 100 ? String(page + 1) : null };
}

/** RequestStatusBadge shows where a request stands. */
export function RequestStatusBadge({ status }: { status: SourcingRequest['status'] }) {
  const { t } = useTranslation('sourcing');
  return (
    <span className={`sourcing-badge sourcing-badge--${status}`} data-testid="request-status">
      {t(`status.${status}`)}
    </span>
  );
}

/** RequestSummary is what, how much, where and when a request wants. */
export function RequestSummary({ request }: { request: SourcingRequest }) {
  const { t } = useTranslation('sourcing');
  return (
    <dl className="sourcing-summary">
      <div>
        <dt>{t('field.quantity')}</dt>
        <dd>{formatQuantity(request.quantity, request.unit)}</dd>
      </div>
      <div>
        <dt>{t('field.province')}</dt>
        <dd>{request.province_name}</dd>
      </div>
      <div>
        <dt>{t('field.window')}</dt>
        <dd>
          {formatDayMonthYear(request.wanted_from)} – {formatDayMonthYear(request.wanted_to)}
        </dd>
      </div>
      {request.max_unit_price_vnd !== null && (
        <div>
          <dt>{t('field.maxPrice')}</dt>
          <dd>
            {formatVND(request.max_unit_price_vnd)} / {request.unit}
          </dd>
        </div>
      )}
      {request.certifications.length > 0 && (
        <div>
          <dt>{t('field.certifications')}</dt>
          <dd>{request.certifications.join(', ')}</dd>
        </div>
      )}
      {request.min_stars > 0 && (
        <div>
          <dt>{t('field.minStars')}</dt>
          <dd>{t('stars', { count: request.min_stars })}</dd>
        </div>
      )}
      <div>
        <dt>{t('field.recurrence')}</dt>
        <dd>{t(`recurrence.${request.recurrence}`)}</dd>
      </div>
      {request.invited.length > 0 && (
        <div>
          <dt>{t('field.invited')}</dt>
          <dd>{request.invited.map((c) => c.name).join(', ')}</dd>
        </div>
      )}
      {request.notes && (
        <div>
          <dt>{t('field.notes')}</dt>
          <dd>{request.notes}</dd>
        </div>
      )}
    </dl>
  );
}
