import type { ReactNode } from 'react';

/** SubmitButton sends its form; while busy it is disabled and says so. */
export function SubmitButton({ busy, busyLabel, children }: { busy: boolean; busyLabel: string; children: ReactNode }) {
  return (
    <button type="submit" className="button button--primary form__submit" disabled={busy} aria-busy={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
