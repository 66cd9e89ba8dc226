import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductImage } from '../../api/catalog.ts';

/** ImageGallery shows the chosen picture at 1200 px and the others as thumbnails to choose from. */
export function ImageGallery({ images, name }: { images: ProductImage[]; name: string }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState(0);
  const current = images[Math.min(chosen, images.length - 1)];
  if (!current) {
    return (
      <div className="gallery gallery--empty" data-testid="gallery-empty">
        <span className="gallery__placeholder" aria-hidden="true" />
        <p className="gallery__none">{t('product.noImages')}</p>
      </div>
    );
  }
  return (
    <div className="gallery" data-testid="gallery">
      <img
        className="gallery__main"
        src={current.medium_url}
        alt={current.alt || name}
        width={current.width}
        height={current.height}
        data-testid="gallery-main"
      />
      {images.length > 1 && (
        <ul className="gallery__thumbs" aria-label={t('product.allImages')}>
          {images.map((img, i) => (
            <li key={img.id}>
              <button
                type="button"
                className={i === chosen ? 'gallery__thumb gallery__thumb--chosen' : 'gallery__thumb'}
                aria-pressed={i === chosen}
                aria-label={t('product.showImage', { number: i + 1 })}
                onClick={() => setChosen(i)}
              >
                <img src={img.thumb_url} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
