import { Hero } from './Hero.tsx';
import { ProvinceSection } from './ProvinceSection.tsx';
import './home.css';

/** HomePage is the marketplace's front page. */
export function HomePage() {
  return (
    <>
      <Hero />
      <ProvinceSection />
    </>
  );
}
