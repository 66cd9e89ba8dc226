import { useTranslation } from 'react-i18next';
import { problemMessage } from '../form/formErrors.ts';
import type { Paged } from '../../lib/usePaged.ts';

/** LoadMoreButton is the "Xem thêm" button under a paged list, with its own error. */
export function LoadMoreButton({ list }: { list: Pick<Paged<unknown>, 'status' | 'hasMore' | 'loadMore' | 'loadingMore' | 'moreError'> }) {
  const { t } = useTranslation();
  if (list.status !== 'ready' || !list.hasMore) return null;
  return (
    <div className="load-more">
      <button
        type="button"
        className="button button--secondary"
        onClick={list.loadMore}
        disabled={list.loadingMore}
        aria-busy={list.loadingMore}
        data-testid="load-more"
      >
        {list.loadingMore ? t('common.loadingMore') : t('common.loadMore')}
      </button>
      {list.moreError !== undefined && (
        <p className="load-more__error" role="alert">
          {problemMessage(list.moreError, t)}
        </p>
      )}
    </div>
  );
}
