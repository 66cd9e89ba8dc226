import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';

/**
 * Pagination links the pages of results: previous, the first, the ones
 * around the current, the last, next. Each page has its own address.
 */
export function Pagination({ page, pages, hrefFor }: { page: number; pages: number; hrefFor: (page: number) => string }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  const shown = pageNumbers(page, pages);
  return (
    <nav className="pagination" aria-label={t('searchPage.pages')} data-testid="search-pagination">
      <ul className="pagination__list">
        <li>
          {page > 1 ? (
            <Link className="pagination__link" to={hrefFor(page - 1)} rel="prev">
              {t('searchPage.previous')}
            </Link>
          ) : (
            <span className="pagination__link pagination__link--disabled" aria-hidden="true">
              {t('searchPage.previous')}
            </span>
          )}
        </li>
        {shown.map((n, i) =>
          n === null ? (
            <li key={`gap-${i}`} className="pagination__gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={n}>
              <Link
                className={n === page ? 'pagination__link pagination__link--current' : 'pagination__link'}
                to={hrefFor(n)}
                aria-current={n === page ? 'page' : undefined}
                aria-label={t('searchPage.pageN', { page: n })}
              >
                {n}
              </Link>
            </li>
          ),
        )}
        <li>
          {page < pages ? (
            <Link className="pagination__link" to={hrefFor(page + 1)} rel="next" data-testid="search-next-page">
              {t('searchPage.next')}
            </Link>
          ) : (
            <span className="pagination__link pagination__link--disabled" aria-hidden="true">
              {t('searchPage.next')}
            </span>
          )}
        </li>
      </ul>
    </nav>
  );
}

/** pageNumbers is 1 … p-1 p p+1 … last, null standing for a gap. */
function pageNumbers(page: number, pages: number): (number | null)[] {
  const want = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  const sorted = [...want].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (typeof last === 'number' && n - last === 2) out.push(n - 1);
    else if (typeof last === 'number' && n - last > 2) out.push(null);
    out.push(n);
  }
  return out;
}
