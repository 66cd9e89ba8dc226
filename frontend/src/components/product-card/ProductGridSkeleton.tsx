import './product-card.css';

/** ProductGridSkeleton holds a grid's place with grey cards while its products load (decorative: the caller says it is loading). */
export function ProductGridSkeleton({ count }: { count: number }) {
  return (
    <ul className="product-grid product-grid--skeleton" aria-hidden="true" data-testid="product-grid-skeleton">
      {Array.from({ length: count }, (_, i) => (
        <li key={i} className="product-card product-card--skeleton">
          <div className="product-thumb" />
          <div className="product-card__body">
            <span className="skeleton-line" />
            <span className="skeleton-line skeleton-line--short" />
            <span className="skeleton-line skeleton-line--price" />
          </div>
        </li>
      ))}
    </ul>
  );
}
