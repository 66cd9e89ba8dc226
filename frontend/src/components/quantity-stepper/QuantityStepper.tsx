import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import './quantity-stepper.css';

/**
 * QuantityStepper is a quantity with − and + buttons either side. The
 * buttons change it at once; a typed number counts when the field loses
 * the focus or on Enter, kept between min and max.
 */
export function QuantityStepper({
  id,
  label,
  value,
  min = 1,
  max,
  onChange,
  disabled = false,
  hideLabel = false,
  testId,
}: {
  id: string;
  label: string;
  value: number;
  min?: number;
  max?: number | undefined;
  onChange: (value: number) => void;
  disabled?: boolean;
  /** hideLabel keeps the label for screen readers only (a cart line names its product already). */
  hideLabel?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const top = max === undefined ? Infinity : Math.max(min, max);
  const clamp = (n: number) => Math.min(top, Math.max(min, n));

  function commit() {
    if (draft === null) return;
    const n = Number.parseInt(draft.replace(/\D/g, ''), 10);
    setDraft(null);
    if (Number.isFinite(n) && clamp(n) !== value) onChange(clamp(n));
  }
  function onKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    }
  }

  return (
    <div className="stepper" data-testid={testId}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'stepper__label'}>
        {label}
      </label>
      <div className="stepper__controls">
        <button
          type="button"
          className="stepper__button"
          onClick={() => onChange(clamp(value - 1))}
          disabled={disabled || value <= min}
          aria-label={t('stepper.less')}
          aria-controls={id}
        >
          −
        </button>
        <input
          id={id}
          className="stepper__input"
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          value={draft ?? String(value)}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={onKey}
          disabled={disabled}
        />
        <button
          type="button"
          className="stepper__button"
          onClick={() => onChange(clamp(value + 1))}
          disabled={disabled || value >= top}
          aria-label={t('stepper.more')}
          aria-controls={id}
        >
          +
        </button>
      </div>
    </div>
  );
}
