import { useTranslation } from 'react-i18next';
import { searchProducts } from '../../api/search.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Hero } from './Hero.tsx';
import { FeaturedCooperatives } from './FeaturedCooperatives.tsx';
import { FeaturedGroups } from './FeaturedGroups.tsx';
import { NewestProducts } from './NewestProducts.tsx';
import { ProvinceSection } from './ProvinceSection.tsx';
import './home.css';

/**
 * HomePage is the marketplace's front page: the search, then products and
 * cooperatives first, then the OCOP groups and the provinces with how many
 * products each has. One search (newest first) gives the products, the
 * cooperatives with the most products and the count of every province.
 */
export function HomePage() {
  const { t } = useTranslation();
  const catalog = useLoad('home', (signal) => searchProducts({ sort: 'newest', per_page: 8 }, signal));
  return (
    <>
      <Hero />
      <NewestProducts catalog={catalog} />
      <FeaturedCooperatives catalog={catalog} />
      <FeaturedGroups />
      <ProvinceSection counts={catalog.status === 'ready' ? catalog.data.facets.province : undefined} />
      <p className="visually-hidden" role="status">
        {catalog.status === 'loading' ? t('productList.loading') : ''}
      </p>
    </>
  );
}
