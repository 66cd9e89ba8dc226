import type { ReactNode } from 'react';

/**
 * FormMessage is the line above a form's buttons that tells what happened:
 * an error (announced at once) or a success (announced politely).
 */
export function FormMessage({ tone, children }: { tone: 'error' | 'success'; children: ReactNode }) {
  return (
    <div
      className={`form-message form-message--${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={`form-${tone}`}
    >
      {children}
    </div>
  );
}
