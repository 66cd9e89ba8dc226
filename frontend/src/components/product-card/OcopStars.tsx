import { useTranslation } from 'react-i18next';
import './product-card.css';

/** OcopStars is the badge of a current OCOP rating: "OCOP ★★★★". Nothing without one. */
export function OcopStars({ stars, large = false }: { stars: number; large?: boolean }) {
  const { t } = useTranslation();
  if (stars < 3) return null;
  return (
    <span
      className={large ? 'ocop-stars ocop-stars--large' : 'ocop-stars'}
      aria-label={t('product.ocopStars', { count: stars })}
      title={t('product.ocopStars', { count: stars })}
      data-testid="ocop-stars"
    >
      <span aria-hidden="true">OCOP {'★'.repeat(stars)}</span>
    </span>
  );
}
