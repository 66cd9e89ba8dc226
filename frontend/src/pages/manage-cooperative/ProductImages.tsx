import type { TFunction } from 'i18next';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadImage, type Product } from '../../api/catalog.ts';
import { deleteImage, moveImage } from '../../api/media.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { problemMessage } from '../../components/form/formErrors.ts';
import './media.css';

type Notice = { tone: 'error' | 'success'; text: string } | null;

/** The uploads the server takes (IMAGE_MAX_BYTES, 12 a product); it checks them again. */
export const imageTypes = ['image/jpeg', 'image/png', 'image/webp'];
export const maxImageBytes = 8 << 20;
export const maxImages = 12;

/**
 * checkFiles tells which of the chosen files the server would refuse
 * before any is sent: not a JPEG, PNG or WebP, larger than 8 MB, or more
 * than the product has room for.
 */
export function checkFiles(files: File[], room: number, t: TFunction<'media'>): string {
  for (const f of files) {
    if (!imageTypes.includes(f.type)) return t('photos.wrongType', { name: f.name });
    if (f.size > maxImageBytes) return t('photos.tooLarge', { name: f.name });
  }
  if (files.length > room) return t('photos.tooMany', { max: maxImages });
  return '';
}

/**
 * uploadAll sends files one after the other (each is decoded and resized
 * on the server) and returns the product as the last success left it, with
 * the first refusal's explanation, if any.
 */
export async function uploadAll(
  product: Product,
  files: File[],
  alt: string,
  onProgress: (done: number) => void,
): Promise<{ product: Product; uploaded: number; error: unknown }> {
  let current = product;
  let uploaded = 0;
  for (const file of files) {
    try {
      current = await uploadImage(product.id, file, alt);
      uploaded += 1;
      onProgress(uploaded);
    } catch (error) {
      return { product: current, uploaded, error };
    }
  }
  return { product: current, uploaded, error: undefined };
}

/**
 * ProductImages are a product's photos in the order its page shows them,
 * the first being the one lists show: each can be moved earlier or later,
 * made the main one or deleted (after a confirmation), and more can be
 * uploaded, several at once.
 */
export function ProductImages({ product, name, onChanged }: { product: Product; name: string; onChanged: (p: Product) => void }) {
  const { t } = useTranslation('media');
  const { t: tc } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const images = product.images;

  async function change(action: () => Promise<Product>, done: string) {
    setBusy(true);
    setNotice(null);
    try {
      onChanged(await action());
      setNotice({ tone: 'success', text: done });
    } catch (err) {
      setNotice({ tone: 'error', text: problemMessage(err, tc) });
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  }
  const move = (id: string, to: number) => void change(() => moveImage(product.id, id, to), t('photos.moved'));

  return (
    <div className="image-upload product-images" data-testid="product-images-manager">
      <h3 className="dashboard__subheading">{t('photos.title')}</h3>
      {images.length === 0 ? (
        <p className="dashboard__muted" data-testid="no-images">
          {t('photos.none')}
        </p>
      ) : (
        <ol className="photo-list" data-testid="product-images">
          {images.map((img, i) => (
            <li key={img.id} className="photo-list__item" data-testid="product-image" data-id={img.id}>
              <img src={img.thumb_url} alt={img.alt || name} className="photo-list__thumb" />
              {i === 0 && <span className="chip chip--good photo-list__main">{t('photos.main')}</span>}
              {confirming === img.id ? (
                <div className="photo-list__buttons" role="group" aria-label={t('photos.deleteConfirm')}>
                  <span className="photo-list__question">{t('photos.deleteConfirm')}</span>
                  <button type="button" className="button button--danger button--small" disabled={busy} onClick={() => void change(() => deleteImage(product.id, img.id), t('photos.deleted'))} data-testid="image-delete-confirm">
                    {t('photos.deleteYes')}
                  </button>
                  <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => setConfirming(null)}>
                    {t('photos.cancel')}
                  </button>
                </div>
              ) : (
                <div className="photo-list__buttons">
                  <button type="button" className="button button--secondary button--small" disabled={busy || i === 0} onClick={() => move(img.id, i - 1)} aria-label={t('photos.moveEarlier', { number: i + 1 })} data-testid="image-earlier">
                    ←
                  </button>
                  <button type="button" className="button button--secondary button--small" disabled={busy || i === images.length - 1} onClick={() => move(img.id, i + 1)} aria-label={t('photos.moveLater', { number: i + 1 })} data-testid="image-later">
                    →
                  </button>
                  {i > 0 && (
                    <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => move(img.id, 0)} data-testid="image-main">
                      {t('photos.makeMain')}
                    </button>
                  )}
                  <button type="button" className="button button--danger button--small" disabled={busy} onClick={() => setConfirming(img.id)} aria-label={t('photos.delete', { number: i + 1 })} data-testid="image-delete">
                    {t('photos.deleteShort')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {notice && <FormMessage tone={notice.tone}>{notice.text}</FormMessage>}
      <UploadForm product={product} onUploaded={onChanged} />
    </div>
  );
}

/** UploadForm uploads one or more photos, with what they show for screen readers. */
function UploadForm({ product, onUploaded }: { product: Product; onUploaded: (p: Product) => void }) {
  const { t } = useTranslation('media');
  const { t: tc } = useTranslation();
  const [files, setFiles] = useState<File[]>([]);
  const [alt, setAlt] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<Notice>(null);
  const [inputKey, setInputKey] = useState(0);
  const fileID = `image-file-${product.id}`;
  const altID = `image-alt-${product.id}`;
  const room = maxImages - product.images.length;

  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (files.length === 0) {
      setMessage({ tone: 'error', text: t('photos.choose') });
      return;
    }
    const wrong = checkFiles(files, room, t);
    if (wrong) {
      setMessage({ tone: 'error', text: wrong });
      return;
    }
    setProgress(0);
    setMessage(null);
    const result = await uploadAll(product, files, alt.trim(), setProgress);
    setProgress(null);
    if (result.uploaded > 0) onUploaded(result.product);
    if (result.error === undefined) {
      setFiles([]);
      setAlt('');
      setInputKey((k) => k + 1);
      setMessage({ tone: 'success', text: t('photos.uploaded', { count: result.uploaded }) });
    } else {
      setFiles(files.slice(result.uploaded));
      setMessage({ tone: 'error', text: t('photos.failed', { count: files.length - result.uploaded, reason: problemMessage(result.error, tc) }) });
    }
  }

  if (room <= 0) return <p className="field__hint">{t('photos.full', { max: maxImages })}</p>;
  return (
    <form className="image-upload__form" onSubmit={(e) => void upload(e)} noValidate>
      <div className="field">
        <label htmlFor={fileID} className="field__label">
          {t('photos.pick')}
        </label>
        <input
          key={inputKey}
          id={fileID}
          type="file"
          multiple
          accept={imageTypes.join(',')}
          onChange={(e) => setFiles([...(e.target.files ?? [])])}
          aria-describedby={`${fileID}-hint`}
          data-testid="image-file"
        />
        <p id={`${fileID}-hint`} className="field__hint">
          {t('photos.pickHint', { max: maxImages })}
        </p>
      </div>
      <div className="field">
        <label htmlFor={altID} className="field__label">
          {t('photos.alt')}
        </label>
        <input id={altID} className="field__input" value={alt} onChange={(e) => setAlt(e.target.value)} maxLength={300} />
      </div>
      {message && <FormMessage tone={message.tone}>{message.text}</FormMessage>}
      <button type="submit" className="button button--primary button--small" disabled={progress !== null} aria-busy={progress !== null} data-testid="image-upload">
        {progress !== null ? t('photos.uploading', { number: Math.min(progress + 1, files.length), count: files.length }) : t('photos.upload')}
      </button>
    </form>
  );
}

/**
 * StagedPhotos are photos chosen for a product not saved yet: previews in
 * the order they will be uploaded once it is, the first being the main one,
 * each with a button to leave it out.
 */
export function StagedPhotos({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  const { t } = useTranslation('media');
  const [error, setError] = useState('');
  const [inputKey, setInputKey] = useState(0);
  const [previews, setPreviews] = useState<string[]>([]);
  useEffect(() => {
    const urls = files.map((f) => URL.createObjectURL(f));
    setPreviews(urls);
    return () => {
      for (const u of urls) URL.revokeObjectURL(u);
    };
  }, [files]);

  function add(chosen: File[]) {
    const wrong = checkFiles(chosen, maxImages - files.length, t);
    setError(wrong);
    setInputKey((k) => k + 1);
    if (!wrong) onChange([...files, ...chosen]);
  }

  return (
    <fieldset className="coop-form__group staged-photos" data-testid="staged-photos">
      <legend className="coop-form__legend">{t('photos.title')}</legend>
      <div className={error ? 'field field--invalid' : 'field'}>
        <label htmlFor="np-photos" className="field__label">
          {t('photos.pick')}
        </label>
        <input
          key={inputKey}
          id="np-photos"
          type="file"
          multiple
          accept={imageTypes.join(',')}
          onChange={(e) => add([...(e.target.files ?? [])])}
          aria-describedby="np-photos-hint"
          aria-invalid={error ? true : undefined}
          data-testid="np-photos"
        />
        <p id="np-photos-hint" className="field__hint">
          {t('photos.pickHint', { max: maxImages })}
        </p>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
      </div>
      {files.length > 0 && (
        <>
          <p className="field__hint">{t('photos.staged', { count: files.length })}</p>
          <ol className="photo-list">
            {files.map((f, i) => (
              <li key={`${f.name}-${f.size}-${f.lastModified}-${i}`} className="photo-list__item" data-testid="staged-photo">
                {previews[i] && <img src={previews[i]} alt={f.name} className="photo-list__thumb" />}
                {i === 0 && <span className="chip chip--good photo-list__main">{t('photos.main')}</span>}
                <button type="button" className="button button--secondary button--small" onClick={() => onChange(files.filter((_, j) => j !== i))} aria-label={t('photos.removeStaged', { number: i + 1, name: f.name })}>
                  {t('photos.removeStagedShort')}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </fieldset>
  );
}
