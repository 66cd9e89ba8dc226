import { useTranslation } from 'react-i18next';
import type { CooperativeStatus } from '../../api/cooperatives.ts';
import './cooperative-status.css';

/** CooperativeStatusBadge says where a cooperative stands: chờ duyệt, đã duyệt, bị từ chối. */
export function CooperativeStatusBadge({ status }: { status: CooperativeStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`coop-status coop-status--${status}`} data-testid="coop-status" data-status={status}>
      {t(`coopStatus.${status}`)}
    </span>
  );
}
