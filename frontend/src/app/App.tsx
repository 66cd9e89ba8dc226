import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { SiteLayout } from '../components/layout/SiteLayout.tsx';
import { SourcingBoardPage } from '../pages/sourcing/SourcingBoardPage.tsx';
import { RequestFormPage } from '../pages/sourcing/RequestFormPage.tsx';
import { MyRequestsPage } from '../pages/sourcing/MyRequestsPage.tsx';
import { RequestPage } from '../pages/sourcing/RequestPage.tsx';
import { CoopSourcingPage } from '../pages/sourcing/CoopSourcingPage.tsx';
import { OffersPage } from '../pages/sourcing/OffersPage.tsx';
import { HomePage } from '../pages/home/HomePage.tsx';
import { LoginPage } from '../pages/login/LoginPage.tsx';
import { RegisterPage } from '../pages/register/RegisterPage.tsx';
import { AccountPage } from '../pages/account/AccountPage.tsx';
import { ForgotPasswordPage } from '../pages/forgot-password/ForgotPasswordPage.tsx';
import { ResetPasswordPage } from '../pages/reset-password/ResetPasswordPage.tsx';
import { LoginLinkPage } from '../pages/login-link/LoginLinkPage.tsx';
import { NotFoundPage } from '../pages/not-found/NotFoundPage.tsx';
import { ProductListPage } from '../pages/product-list/ProductListPage.tsx';
import { ProductPage } from '../pages/product/ProductPage.tsx';
import { SearchPage } from '../pages/search/SearchPage.tsx';
import { CooperativeDirectoryPage } from '../pages/cooperative-directory/CooperativeDirectoryPage.tsx';
import { StorefrontPage } from '../pages/storefront/StorefrontPage.tsx';
import { CooperativeRegistrationPage } from '../pages/cooperative-registration/CooperativeRegistrationPage.tsx';
import { MyCooperativesPage } from '../pages/my-cooperatives/MyCooperativesPage.tsx';
import { ManageCooperativePage } from '../pages/manage-cooperative/ManageCooperativePage.tsx';
import { ReviewQueuePage } from '../pages/review-queue/ReviewQueuePage.tsx';
import { AdminHomePage } from '../pages/admin/AdminHomePage.tsx';
import { AdminUsersPage } from '../pages/admin/AdminUsersPage.tsx';
import { AdminAuditPage } from '../pages/admin/AdminAuditPage.tsx';
import { AdminSynonymsPage } from '../pages/admin/AdminSynonymsPage.tsx';
import { AdminCooperativesPage } from '../pages/admin/AdminCooperativesPage.tsx';
import { CartPage } from '../pages/cart/CartPage.tsx';
import { CheckoutPage } from '../pages/checkout/CheckoutPage.tsx';
import { OrderPage } from '../pages/order/OrderPage.tsx';
import { MyOrdersPage } from '../pages/my-orders/MyOrdersPage.tsx';
import { OrderLookupPage } from '../pages/order-lookup/OrderLookupPage.tsx';
import { PackingSlipPage } from '../pages/packing-slip/PackingSlipPage.tsx';
import { BatchPage } from '../pages/batches/BatchPage.tsx';
import { LabelSheetPage } from '../pages/batches/LabelSheetPage.tsx';
import { SessionProvider } from '../session/SessionProvider.tsx';
import { PageTitle, SearchTitle } from './PageTitle.tsx';
import { CartProvider } from '../cart/CartProvider.tsx';
import { cartPath, checkoutPath, myOrdersPath, orderLookupPath } from '../cart/paths.ts';
import {
  accountPath,
  forgotPasswordPath,
  loginLinkPath,
  loginPath,
  registerPath,
  resetPasswordPath,
} from '../session/paths.ts';

/** App maps URLs to pages; the Go server sends index.html for every non-API path. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <CartProvider>
          <Routes>
            <Route element={<SiteLayout />}>
              <Route index element={<><PageTitle title="home.title" /><HomePage /></>} />
              <Route path={loginPath} element={<LoginPage />} />
              <Route path={registerPath} element={<RegisterPage />} />
              <Route path={accountPath} element={<AccountPage />} />
              <Route path={forgotPasswordPath} element={<ForgotPasswordPage />} />
              <Route path={resetPasswordPath} element={<ResetPasswordPage />} />
              <Route path={loginLinkPath} element={<LoginLinkPage />} />
              <Route path="/san-pham" element={<><PageTitle title="productList.title" /><ProductListPage /></>} />
              <Route path="/san-pham/:slug" element={<ProductPage />} />
              <Route path="/tim-kiem" element={<><SearchTitle /><SearchPage /></>} />
              <Route path="/hop-tac-xa" element={<><PageTitle title="directory.title" /><CooperativeDirectoryPage /></>} />
              <Route path="/hop-tac-xa/:slug" element={<StorefrontPage />} />
              <Route path="/dang-ky-hop-tac-xa" element={<CooperativeRegistrationPage />} />
              <Route path="/quan-ly" element={<MyCooperativesPage />} />
              <Route path="/quan-ly/:coop" element={<ManageCooperativePage />} />
              <Route path="/quan-ly/:coop/lo-hang/:id" element={<BatchPage />} />
              <Route path="/duyet-hop-tac-xa" element={<ReviewQueuePage />} />
              <Route path="/quan-tri" element={<AdminHomePage />} />
              <Route path="/quan-tri/nguoi-dung" element={<AdminUsersPage />} />
              <Route path="/quan-tri/nhat-ky" element={<AdminAuditPage />} />
              <Route path="/quan-tri/tu-dong-nghia" element={<AdminSynonymsPage />} />
              <Route path="/quan-tri/hop-tac-xa" element={<AdminCooperativesPage />} />
              <Route path={cartPath} element={<CartPage />} />
              <Route path={checkoutPath} element={<CheckoutPage />} />
              <Route path={myOrdersPath} element={<MyOrdersPage />} />
              <Route path={`${myOrdersPath}/:id`} element={<OrderPage />} />
              <Route path={orderLookupPath} element={<OrderLookupPage />} />
              <Route path="/nguon-hang" element={<SourcingBoardPage />} />
              <Route path="/nguon-hang/yeu-cau-moi" element={<RequestFormPage />} />
              <Route path="/nguon-hang/cua-toi" element={<MyRequestsPage />} />
              <Route path="/nguon-hang/yeu-cau/:id" element={<RequestPage />} />
              <Route path="/nguon-hang/hop-tac-xa/:coop" element={<CoopSourcingPage />} />
              <Route path="/nguon-hang/nguon-cung" element={<OffersPage />} />
              <Route path="*" element={<><PageTitle title="notFound.title" /><NotFoundPage /></>} />
            </Route>
            {/* The packing slip is a page of its own to print, without the site's header and footer. */}
            <Route path="/quan-ly/:coop/phieu-giao-hang/:id" element={<PackingSlipPage />} />
            <Route path="/quan-ly/:coop/lo-hang/:id/tem" element={<LabelSheetPage />} />
          </Routes>
        </CartProvider>
      </SessionProvider>
    </BrowserRouter>
  );
}
