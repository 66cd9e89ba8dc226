import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';

const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** SeasonMonthsField is the months a product is in season, one box each; none ticked means all year. */
export function SeasonMonthsField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: number[];
  onChange: (months: number[]) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const name = new Intl.DateTimeFormat(currentLanguage(), { month: 'long', timeZone: 'UTC' });
  const errorId = `${id}-error`;
  const toggle = (m: number, on: boolean) => onChange(on ? [...value, m].sort((a, b) => a - b) : value.filter((x) => x !== m));
  return (
    <fieldset
      className={error ? 'season-months field--invalid' : 'season-months'}
      aria-describedby={error ? `${id}-hint ${errorId}` : `${id}-hint`}
      data-testid="season-months"
    >
      <legend className="field__label">{t('productEditor.seasonMonths')}</legend>
      <p id={`${id}-hint`} className="field__hint">
        {t('productEditor.seasonHint')}
      </p>
      <div className="season-months__boxes">
        {months.map((m) => (
          <label key={m} className="season-months__box">
            <input type="checkbox" name="seasonMonths" value={m} checked={value.includes(m)} onChange={(e) => toggle(m, e.target.checked)} />
            {capitalise(name.format(new Date(Date.UTC(2024, m - 1, 1))))}
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="field__error" data-testid="seasonMonths-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
