import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../form/formErrors.ts';
import './status.css';

/** LoadingMessage says that something is being loaded. */
export function LoadingMessage({ children, testId }: { children: string; testId?: string }) {
  return (
    <p className="status-message" role="status" data-testid={testId}>
      <span className="status-message__spinner" aria-hidden="true" />
      {children}
    </p>
  );
}

/** ErrorMessage says what failed, with the server's explanation and a retry button. */
export function ErrorMessage({
  title,
  error,
  onRetry,
  testId,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="status-message status-message--error" role="alert" data-testid={testId}>
      <p className="status-message__title">{title}</p>
      <p className="status-message__detail">{problemMessage(error, t)}</p>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** EmptyMessage says there is nothing to show. */
export function EmptyMessage({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="status-message status-message--empty" data-testid={testId}>
      {children}
    </div>
  );
}
