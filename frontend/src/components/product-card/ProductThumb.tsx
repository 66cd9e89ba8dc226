/** ProductThumb is a product's 400 px picture, or a plain placeholder without one; decorative (the name follows). */
export function ProductThumb({ url }: { url: string | null }) {
  return (
    <div className="product-thumb">
      {url ? (
        <img className="product-thumb__img" src={url} alt="" loading="lazy" decoding="async" />
      ) : (
        <span className="product-thumb__placeholder" aria-hidden="true" />
      )}
    </div>
  );
}
