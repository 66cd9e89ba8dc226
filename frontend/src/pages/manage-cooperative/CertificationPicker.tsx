import { useTranslation } from 'react-i18next';
import { knownCertifications } from './productInput.ts';
import './media.css';

/**
 * CertificationPicker is a product's certifications, one box for each the
 * catalog recognises, so that none is misspelt. A certification the product
 * already holds under another name (from an older import) stays listed,
 * ticked, until it is unticked.
 */
export function CertificationPicker({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string[];
  onChange: (certifications: string[]) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation('media');
  const known: readonly string[] = knownCertifications;
  const options = [...known, ...value.filter((c) => !known.includes(c))];
  const errorId = `${id}-error`;
  const toggle = (c: string, on: boolean) => onChange(on ? options.filter((o) => o === c || value.includes(o)) : value.filter((x) => x !== c));
  return (
    <fieldset
      className={error ? 'cert-picker field--invalid' : 'cert-picker'}
      aria-describedby={error ? `${id}-hint ${errorId}` : `${id}-hint`}
      data-testid="certification-picker"
    >
      <legend className="field__label">{t('certifications.legend')}</legend>
      <p id={`${id}-hint`} className="field__hint">
        {t('certifications.hint')}
      </p>
      <div className="cert-picker__options">
        {options.map((c) => (
          <label key={c} className={value.includes(c) ? 'cert-picker__option cert-picker__option--on' : 'cert-picker__option'}>
            <input type="checkbox" name="certifications" value={c} checked={value.includes(c)} onChange={(e) => toggle(c, e.target.checked)} />
            {c}
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="field__error" data-testid="certifications-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
