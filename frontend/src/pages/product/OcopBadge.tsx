import { useTranslation } from 'react-i18next';
import type { Product } from '../../api/catalog.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { formatDate } from '../../lib/format.ts';

/**
 * OcopBadge shows the product's OCOP rating: stars, certificate number and
 * expiry. An expired rating (the API says current: false) is shown as
 * expired, never as a current rating.
 */
export function OcopBadge({ ocop }: { ocop: Product['ocop'] }) {
  const { t } = useTranslation();
  if (!ocop) return null;
  const stars = '★'.repeat(ocop.stars);
  return (
    <div
      className={ocop.current ? 'ocop-badge' : 'ocop-badge ocop-badge--expired'}
      data-testid="ocop-badge"
      data-current={ocop.current}
    >
      <p className="ocop-badge__title">
        <span aria-hidden="true">OCOP {stars}</span>
        <span className="visually-hidden">{t('product.ocopStars', { count: ocop.stars })}</span>
        {!ocop.current && <span className="ocop-badge__expired">{t('product.ocopExpired')}</span>}
      </p>
      {ocop.certificate && <p className="ocop-badge__line">{t('product.ocopCertificate', { number: ocop.certificate })}</p>}
      {ocop.expires_on && (
        <p className="ocop-badge__line">
          {t(ocop.current ? 'product.ocopValidUntil' : 'product.ocopExpiredOn', {
            date: formatDate(ocop.expires_on, currentLanguage()),
          })}
        </p>
      )}
    </div>
  );
}
