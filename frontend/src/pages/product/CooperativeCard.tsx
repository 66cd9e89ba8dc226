import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../api/catalog.ts';

/** CooperativeCard names the cooperative that makes the product and links to its storefront. */
export function CooperativeCard({ cooperative, provinceName }: { cooperative: Product['cooperative']; provinceName: string }) {
  const { t } = useTranslation();
  return (
    <aside className="coop-card" aria-labelledby="coop-card-title" data-testid="coop-card">
      <p className="coop-card__kicker">{t('product.madeBy')}</p>
      <h2 id="coop-card-title" className="coop-card__name">
        {cooperative.name}
      </h2>
      <p className="coop-card__province">{provinceName}</p>
      <Link to={`/hop-tac-xa/${cooperative.slug}`} className="button button--secondary" data-testid="coop-card-link">
        {t('product.visitStorefront')}
      </Link>
    </aside>
  );
}
