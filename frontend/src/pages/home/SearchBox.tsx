import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * SearchBox is the product search field. Search is not built yet: submitting
 * tells the visitor so instead of doing nothing.
 */
export function SearchBox() {
  const { t } = useTranslation();
  const [submitted, setSubmitted] = useState(false);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
  }

  return (
    <form className="search-box" role="search" onSubmit={handleSubmit}>
      <label htmlFor="search-query" className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id="search-query"
        className="search-box__input"
        type="search"
        name="q"
        autoComplete="off"
        placeholder={t('search.placeholder')}
      />
      <button type="submit" className="search-box__button">
        {t('search.submit')}
      </button>
      <p className="search-box__note" role="status">
        {submitted ? t('search.comingSoon') : ''}
      </p>
    </form>
  );
}
