import { useTranslation } from 'react-i18next';
import { SearchBox } from '../../components/search-box/SearchBox.tsx';

/** Hero greets the visitor with what the marketplace is, and a search box. */
export function Hero() {
  const { t } = useTranslation();
  return (
    <section className="hero" aria-labelledby="hero-title">
      <div className="hero__inner">
        <h1 id="hero-title" className="hero__title">
          {t('home.title')}
        </h1>
        <p className="hero__subtitle">{t('home.subtitle')}</p>
        <SearchBox variant="hero" />
      </div>
    </section>
  );
}
