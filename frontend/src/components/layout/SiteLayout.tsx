import { Outlet } from 'react-router-dom';
import { SiteHeader } from './SiteHeader.tsx';
import { SiteFooter } from './SiteFooter.tsx';
import './layout.css';

/** SiteLayout is the frame every page shares: header, page content, footer. */
export function SiteLayout() {
  return (
    <div className="site">
      <SiteHeader />
      <main className="site__main" id="main">
        <Outlet />
      </main>
      <SiteFooter />
    </div>
  );
}
