import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { SiteLayout } from '../components/layout/SiteLayout.tsx';
import { HomePage } from '../pages/home/HomePage.tsx';
import { NotFoundPage } from '../pages/not-found/NotFoundPage.tsx';

/** App maps URLs to pages; the Go server sends index.html for every non-API path. */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<SiteLayout />}>
          <Route index element={<HomePage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
