import { useTranslation } from 'react-i18next';
import { getProduct, type Product } from '../../api/catalog.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { ProductDetailsForm } from './ProductDetailsForm.tsx';
import { ProductImages } from './ProductImages.tsx';
import { ProductVariants } from './ProductVariants.tsx';

/**
 * ProductEditor opens under a product's row: what the product page says,
 * each packaging's price, wholesale tiers and stock, and the photos, which
 * can be put in order and deleted.
 * onChanged hears of every saved change, for the row to follow.
 */
export function ProductEditor({ productID, name, onChanged }: { productID: string; name: string; onChanged: (p: Product) => void }) {
  const { t } = useTranslation();
  const product = useLoad(productID, (signal) => getProduct(productID, signal));
  if (product.status === 'loading') return <LoadingMessage>{t('product.loading')}</LoadingMessage>;
  if (product.status === 'error') return <ErrorMessage title={t('product.error')} error={product.error} onRetry={product.retry} />;
  const p = product.data;
  const saved = (next: Product) => {
    product.replace(next);
    onChanged(next);
  };
  return (
    <div className="product-editor" data-testid="product-editor">
      <ProductVariants product={p} onSaved={saved} />
      <ProductDetailsForm product={p} onSaved={saved} />
      <ProductImages product={p} name={name} onChanged={saved} />
    </div>
  );
}
