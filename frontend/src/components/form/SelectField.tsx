import './form.css';

export interface SelectOption {
  value: string;
  label: string;
}

/** SelectField is a labelled drop-down with its error linked like TextField's. */
export function SelectField({
  id,
  name,
  label,
  value,
  options,
  onChange,
  error,
  required = false,
  placeholder,
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  options: SelectOption[];
  onChange: (value: string) => void;
  error?: string | undefined;
  required?: boolean;
  /** placeholder is the first, empty choice ("Tất cả", "Chọn…"). */
  placeholder?: string;
}) {
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="field__input field__input--select"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        required={required}
        aria-invalid={error ? true : undefined}
        {...(error ? { 'aria-describedby': errorId } : {})}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={errorId} className="field__error" data-testid={`${name}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
