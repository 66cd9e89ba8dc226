import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { getProduct, uploadImage, type Product } from '../../api/catalog.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { ProductDetailsForm } from './ProductDetailsForm.tsx';
import { ProductVariants } from './ProductVariants.tsx';

/**
 * ProductEditor opens under a product's row: what the product page says,
 * each packaging's price, wholesale tiers and stock, and the images.
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
      <ImageUpload product={p} name={name} onUploaded={saved} />
    </div>
  );
}

/** ImageUpload shows a product's images and uploads another (JPEG, PNG or WebP). */
function ImageUpload({ product, name, onUploaded }: { product: Product; name: string; onUploaded: (p: Product) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const fileID = `image-file-${product.id}`;
  const altID = `image-alt-${product.id}`;

  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) {
      setMessage({ tone: 'error', text: t('dashboard.imageChoose') });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      onUploaded(await uploadImage(product.id, file, alt.trim()));
      setFile(null);
      setAlt('');
      setInputKey((k) => k + 1);
      setMessage({ tone: 'success', text: t('dashboard.imageUploaded') });
    } catch (err) {
      setMessage({ tone: 'error', text: problemMessage(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="image-upload">
      <h3 className="dashboard__subheading">{t('dashboard.images')}</h3>
      {product.images.length === 0 ? (
        <p className="dashboard__muted">{t('dashboard.noImages')}</p>
      ) : (
        <ul className="image-upload__list" data-testid="product-images">
          {product.images.map((img) => (
            <li key={img.id}>
              <img src={img.thumb_url} alt={img.alt || name} className="image-upload__thumb" />
            </li>
          ))}
        </ul>
      )}
      <form className="image-upload__form" onSubmit={upload} noValidate>
        <div className="field">
          <label htmlFor={fileID} className="field__label">
            {t('dashboard.imageFile')}
          </label>
          <input
            key={inputKey}
            id={fileID}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="image-file"
          />
          <p className="field__hint">{t('dashboard.imageHint')}</p>
        </div>
        <div className="field">
          <label htmlFor={altID} className="field__label">
            {t('dashboard.imageAlt')}
          </label>
          <input id={altID} className="field__input" value={alt} onChange={(e) => setAlt(e.target.value)} maxLength={300} />
        </div>
        {message && <FormMessage tone={message.tone}>{message.text}</FormMessage>}
        <button type="submit" className="button button--primary button--small" disabled={busy} aria-busy={busy} data-testid="image-upload">
          {busy ? t('dashboard.uploading') : t('dashboard.upload')}
        </button>
      </form>
    </div>
  );
}
