import { useTranslation } from 'react-i18next';
import type { Variant } from '../../api/catalog.ts';
import { formatVND } from '../../lib/format.ts';

/** VariantTable lists the packagings with their price and how many are in stock; the chosen one is marked. */
export function VariantTable({ variants, chosenID }: { variants: Variant[]; chosenID?: string | undefined }) {
  const { t } = useTranslation();
  if (variants.length === 0) return <p className="product-page__muted">{t('product.noVariants')}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="variants">
        <thead>
          <tr>
            <th scope="col">{t('product.unit')}</th>
            <th scope="col" className="data-table__num">
              {t('product.price')}
            </th>
            <th scope="col" className="data-table__num">
              {t('product.stock')}
            </th>
          </tr>
        </thead>
        <tbody>
          {variants.map((v) => (
            <tr key={v.id} aria-current={v.id === chosenID && variants.length > 1 ? 'true' : undefined}>
              <th scope="row">{v.unit}</th>
              <td className="data-table__num">{formatVND(v.price_vnd)}</td>
              <td className="data-table__num">
                {v.stock > 0 ? t('product.inStock', { count: v.stock }) : <span className="chip chip--bad">{t('product.outOfStock')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
