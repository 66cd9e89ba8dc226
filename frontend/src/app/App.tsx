import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { SiteLayout } from '../components/layout/SiteLayout.tsx';
import { HomePage } from '../pages/home/HomePage.tsx';
import { LoginPage } from '../pages/login/LoginPage.tsx';
import { RegisterPage } from '../pages/register/RegisterPage.tsx';
import { AccountPage } from '../pages/account/AccountPage.tsx';
import { ForgotPasswordPage } from '../pages/forgot-password/ForgotPasswordPage.tsx';
import { ResetPasswordPage } from '../pages/reset-password/ResetPasswordPage.tsx';
import { NotFoundPage } from '../pages/not-found/NotFoundPage.tsx';
import { SessionProvider } from '../session/SessionProvider.tsx';
import {
  accountPath,
  forgotPasswordPath,
  loginPath,
  registerPath,
  resetPasswordPath,
} from '../session/paths.ts';

/** App maps URLs to pages; the Go server sends index.html for every non-API path. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route element={<SiteLayout />}>
            <Route index element={<HomePage />} />
            <Route path={loginPath} element={<LoginPage />} />
            <Route path={registerPath} element={<RegisterPage />} />
            <Route path={accountPath} element={<AccountPage />} />
            <Route path={forgotPasswordPath} element={<ForgotPasswordPage />} />
            <Route path={resetPasswordPath} element={<ResetPasswordPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
