import { useTranslation } from 'react-i18next';
import type { Variant } from '../../api/catalog.ts';
import { formatVND } from '../../lib/format.ts';

/** TierPrices is the wholesale price table: from how many units which unit price applies. Nothing when not sold wholesale. */
export function TierPrices({ variants }: { variants: Variant[] }) {
  const { t } = useTranslation();
  const wholesale = variants.filter((v) => v.price_tiers.length > 0 || v.wholesale_min_qty > 0);
  if (wholesale.length === 0) return null;
  return (
    <section className="product-page__section" aria-labelledby="tiers-title">
      <h2 id="tiers-title" className="product-page__heading">
        {t('product.tiers')}
      </h2>
      <div className="table-scroll">
        <table className="data-table" data-testid="tier-prices">
          <thead>
            <tr>
              <th scope="col">{t('product.unit')}</th>
              <th scope="col" className="data-table__num">
                {t('product.tierFrom')}
              </th>
              <th scope="col" className="data-table__num">
                {t('product.tierPrice')}
              </th>
            </tr>
          </thead>
          <tbody>
            {wholesale.flatMap((v) =>
              v.price_tiers.length > 0
                ? v.price_tiers.map((tier) => (
                    <tr key={`${v.id}-${tier.min_qty}`} data-testid="tier-row">
                      <th scope="row">{v.unit}</th>
                      <td className="data-table__num">{t('product.tierQty', { count: tier.min_qty, unit: v.unit })}</td>
                      <td className="data-table__num">{formatVND(tier.unit_price_vnd)}</td>
                    </tr>
                  ))
                : [
                    <tr key={v.id} data-testid="tier-row">
                      <th scope="row">{v.unit}</th>
                      <td className="data-table__num">{t('product.tierQty', { count: v.wholesale_min_qty, unit: v.unit })}</td>
                      <td className="data-table__num">{formatVND(v.price_vnd)}</td>
                    </tr>,
                  ],
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
