import { useEffect, useRef } from 'react';

/**
 * Confirm is an inline question before a step that matters (verify,
 * reject, grant or revoke a role, delete): the question, a button that does
 * it and one that steps back. The confirming button takes the focus, so a
 * keyboard user answers at once; Escape steps back.
 */
export function Confirm({
  question,
  yes,
  no,
  busy,
  danger,
  onYes,
  onNo,
  testId = 'confirm',
}: {
  question: string;
  yes: string;
  no: string;
  busy?: boolean;
  danger?: boolean;
  onYes: () => void;
  onNo: () => void;
  testId?: string;
}) {
  const yesRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    yesRef.current?.focus();
  }, []);
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-label={question}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onNo();
      }}
    >
      <p className="confirm__question">{question}</p>
      <div className="confirm__actions">
        <button
          ref={yesRef}
          type="button"
          className={danger ? 'button button--danger button--small' : 'button button--primary button--small'}
          disabled={busy}
          aria-busy={busy}
          onClick={onYes}
          data-testid={`${testId}-yes`}
        >
          {yes}
        </button>
        <button type="button" className="button button--secondary button--small" disabled={busy} onClick={onNo} data-testid={`${testId}-no`}>
          {no}
        </button>
      </div>
    </div>
  );
}
