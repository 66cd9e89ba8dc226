import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import './not-found.css';

/** NotFoundPage answers any path the app has no page for. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section className="not-found">
      <h1 className="not-found__title">{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <Link to="/" className="not-found__home">
        {t('notFound.home')}
      </Link>
    </section>
  );
}
