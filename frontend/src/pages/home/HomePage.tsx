import { Hero } from './Hero.tsx';
import { FeaturedGroups } from './FeaturedGroups.tsx';
import { NewestProducts } from './NewestProducts.tsx';
import { ProvinceSection } from './ProvinceSection.tsx';
import './home.css';

/** HomePage is the marketplace's front page: OCOP groups, newest products, provinces. */
export function HomePage() {
  return (
    <>
      <Hero />
      <FeaturedGroups />
      <NewestProducts />
      <ProvinceSection />
    </>
  );
}
