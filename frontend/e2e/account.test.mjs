// Accounts against the real server: sign up, log out and in, the account
// page, changing and resetting the password (through the development
// mailbox), and the errors a visitor can meet on the way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, screenshot, startServer, withScreenshot } from './harness.mjs';

const wrongCredentials = 'Email, số điện thoại hoặc mật khẩu không đúng.';

// Chromium logs every answer ≥ 400 as a console error; those the test
// provokes on purpose (a wrong password, a revoked session) are expected.
function unexpectedErrors(page, ...statuses) {
  return page.errors.filter(
    (e) => !statuses.some((s) => e.includes(`Failed to load resource: the server responded with a status of ${s}`)),
  );
}

let counter = 0;
function uniqueEmail(name) {
  counter += 1;
  return `${name}.${process.pid}.${counter}@example.vn`;
}

describe('accounts', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {Awaited<ReturnType<typeof openBrowser>>} */
  let browser;

  before(async () => {
    server = await startServer();
    browser = await openBrowser({ baseURL: server.baseURL });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  // createAccount opens an account through the API, as another browser would.
  async function createAccount(fields) {
    const res = await fetch(`${server.baseURL}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.baseURL },
      body: JSON.stringify({ client: 'api', ...fields }),
    });
    assert.equal(res.status, 201, await res.text());
  }

  async function logIn(page, login, password) {
    await page.getByLabel('Email hoặc số điện thoại').fill(login);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  }

  async function logOut(page) {
    await page.getByTestId('nav-logout').click();
    await page.getByTestId('nav-login').waitFor();
  }

  test('sign up, log out and in, see the profile, change the password', async (t) => {
    const page = await browser.newPage();
    const email = uniqueEmail('lan');
    const name = 'Nguyễn Thị Lan';
    const first = 'rau-sach-Moc-Chau-2025';
    const second = 'che-Thai-Nguyen-2026!';
    /** @type {Record<string, string>[]} */
    const changeHeaders = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/v1/me/password')) changeHeaders.push(req.headers());
    });

    await withScreenshot(t, page, async () => {
      await page.goto('/');
      await page.getByTestId('nav-register').click();
      await page.waitForURL('**/dang-ky');
      await page.locator('h1', { hasText: 'Đăng ký tài khoản' }).waitFor();
      await page.getByLabel('Email hoặc số điện thoại').fill(email);
      await page.getByLabel('Họ và tên').fill(name);
      await page.getByLabel('Mật khẩu').fill(first);
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();

      // Back where the visitor came from, signed in.
      await page.getByTestId('nav-account').filter({ hasText: name }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/');

      await logOut(page);
      await page.getByTestId('nav-login').click();
      await page.waitForURL('**/dang-nhap');
      await screenshot(page, 'login-vi');
      await logIn(page, email, first);
      await page.getByTestId('nav-account').filter({ hasText: name }).waitFor();

      await page.getByTestId('nav-account').click();
      await page.waitForURL('**/tai-khoan');
      await page.locator('h1', { hasText: 'Tài khoản' }).waitFor();
      assert.equal(await page.getByTestId('profile-name').textContent(), name);
      assert.equal(await page.getByTestId('profile-email').textContent(), email);
      assert.equal(await page.getByTestId('profile-phone').textContent(), 'Chưa có');
      assert.equal(await page.getByTestId('profile-roles').textContent(), 'Người mua');
      await page.getByTestId('memberships-empty').waitFor();
      await screenshot(page, 'account-vi');

      // A mismatched confirmation is caught before sending.
      await page.getByLabel('Mật khẩu hiện tại').fill(first);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(second);
      await page.getByLabel('Nhập lại mật khẩu mới').fill(second + 'x');
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      const confirm = page.getByLabel('Nhập lại mật khẩu mới');
      await page.getByTestId('confirm-error').filter({ hasText: 'Hai mật khẩu không khớp.' }).waitFor();
      assert.equal(await confirm.getAttribute('aria-invalid'), 'true');
      assert.match((await confirm.getAttribute('aria-describedby')) ?? '', /change-confirm-error/);
      assert.equal(changeHeaders.length, 0);

      // A wrong current password is the server's field error, next to its field.
      await page.getByLabel('Mật khẩu hiện tại').fill('not-my-password');
      await confirm.fill(second);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.getByTestId('current_password-error').filter({ hasText: 'Mật khẩu hiện tại không đúng' }).waitFor();
      assert.equal(await page.getByLabel('Mật khẩu hiện tại').getAttribute('aria-invalid'), 'true');

      await page.getByLabel('Mật khẩu hiện tại').fill(first);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(second);
      await confirm.fill(second);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.getByTestId('form-success').filter({ hasText: 'Đã đổi mật khẩu.' }).waitFor();
      // The CSRF token rides along on every state-changing request.
      assert.ok(changeHeaders.at(-1)?.['x-csrf-token'], 'no X-CSRF-Token on POST /me/password');

      await logOut(page);
      await page.waitForURL((u) => u.pathname === '/');
      await page.getByTestId('nav-login').click();
      await logIn(page, email, first);
      await page.getByTestId('form-error').filter({ hasText: wrongCredentials }).waitFor();
      await logIn(page, email, second);
      await page.getByTestId('nav-account').filter({ hasText: name }).waitFor();

      assert.deepEqual(unexpectedErrors(page, 400, 401), []);
    });
  });

  test('a wrong password gets the same neutral message as an unknown account', async (t) => {
    const page = await browser.newPage();
    const email = uniqueEmail('minh');
    await createAccount({ email, password: 'gao-ST25-Soc-Trang', full_name: 'Trần Văn Minh' });
    await withScreenshot(t, page, async () => {
      await page.goto('/dang-nhap');

      // Empty fields: each error next to its field, linked for screen readers.
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      const login = page.getByLabel('Email hoặc số điện thoại');
      await page.getByTestId('login-error').waitFor();
      assert.equal(await login.getAttribute('aria-invalid'), 'true');
      assert.equal(await login.getAttribute('aria-describedby'), 'login-login-error');
      assert.match((await page.getByTestId('password-error').textContent()) ?? '', /^Hãy nhập mật khẩu/);
      assert.ok(await login.evaluate((el) => el === document.activeElement), 'first invalid field has the focus');

      await logIn(page, email, 'wrong-password-123');
      const message = page.getByTestId('form-error');
      await message.filter({ hasText: wrongCredentials }).waitFor();
      assert.equal(await login.getAttribute('aria-invalid'), null);

      await logIn(page, uniqueEmail('nobody'), 'wrong-password-123');
      await message.filter({ hasText: wrongCredentials }).waitFor();
      await screenshot(page, 'login-wrong-password');
      assert.equal(new URL(page.url()).pathname, '/dang-nhap');
      assert.deepEqual(unexpectedErrors(page, 400, 401), []);
    });
  });

  test('sign-up errors: each field’s own, and a taken address', async (t) => {
    const page = await browser.newPage();
    const email = uniqueEmail('hoa');
    await createAccount({ email, password: 'nuoc-mam-Phu-Quoc-1', full_name: 'Lê Thị Hoa' });
    await withScreenshot(t, page, async () => {
      await page.goto('/dang-ky');
      await page.getByLabel('Email hoặc số điện thoại').fill('0912');
      await page.getByLabel('Mật khẩu').fill('abc');
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.getByTestId('contact-error').filter({ hasText: 'Số điện thoại di động không hợp lệ' }).waitFor();
      await page.getByTestId('full_name-error').filter({ hasText: 'Hãy nhập họ và tên' }).waitFor();
      await page.getByTestId('password-error').waitFor();
      const contact = page.getByLabel('Email hoặc số điện thoại');
      assert.equal(await contact.getAttribute('aria-invalid'), 'true');
      assert.equal(await contact.getAttribute('aria-describedby'), 'register-contact-hint register-contact-error');
      await screenshot(page, 'register-errors');

      await contact.fill(email);
      await page.getByLabel('Họ và tên').fill('Lê Thị Hoa');
      await page.getByLabel('Mật khẩu').fill('nuoc-mam-Phu-Quoc-2');
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.getByTestId('form-error').filter({ hasText: 'Email hoặc số điện thoại này đã được đăng ký.' }).waitFor();
      assert.equal(await page.getByTestId('contact-error').count(), 0);
      assert.deepEqual(unexpectedErrors(page, 400, 409), []);
    });
  });

  test('the account page asks to log in first, then comes back', async (t) => {
    const page = await browser.newPage();
    const phone = '0987 654 321';
    await createAccount({ phone, password: 'ca-phe-Buon-Ma-Thuot', full_name: 'Y Bih Niê' });
    await withScreenshot(t, page, async () => {
      await page.goto('/tai-khoan');
      await page.waitForURL('**/dang-nhap');
      await logIn(page, phone, 'ca-phe-Buon-Ma-Thuot');
      await page.waitForURL('**/tai-khoan');
      assert.equal(await page.getByTestId('profile-phone').textContent(), '0987 654 321');
      assert.equal(await page.getByTestId('profile-email').textContent(), 'Chưa có');
      assert.deepEqual(unexpectedErrors(page), []);
    });
  });

  test('password reset through the e-mailed link', async (t) => {
    const page = await browser.newPage();
    const email = uniqueEmail('tuan');
    const name = 'Phạm Anh Tuấn';
    const fresh = 'vai-thieu-Luc-Ngan-9';
    await createAccount({ email, password: 'nhan-long-Hung-Yen-1', full_name: name });
    /** @type {string[]} */
    const urls = [];
    /** @type {string[]} */
    const bodies = [];
    page.on('request', (req) => {
      urls.push(req.url());
      bodies.push(req.postData() ?? '');
    });
    const neutral = 'Nếu email này thuộc một tài khoản HTX Market, chúng tôi đã gửi liên kết đặt lại mật khẩu.';

    await withScreenshot(t, page, async () => {
      // An unknown address gets the very same answer.
      await page.goto('/quen-mat-khau');
      await page.getByLabel('Email').fill(uniqueEmail('nobody'));
      await page.getByRole('button', { name: 'Gửi liên kết đặt lại' }).click();
      await page.getByTestId('form-success').filter({ hasText: neutral }).waitFor();

      await page.goto('/dang-nhap');
      await page.getByRole('link', { name: 'Quên mật khẩu?' }).click();
      await page.waitForURL('**/quen-mat-khau');
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Gửi liên kết đặt lại' }).click();
      await page.getByTestId('form-success').filter({ hasText: neutral }).waitFor();

      const res = await fetch(`${server.baseURL}/api/v1/dev/mailbox?to=${encodeURIComponent(email)}`);
      assert.equal(res.status, 200);
      const { items } = await res.json();
      assert.equal(items.length, 1);
      const link = /(https?:\/\/\S+\/dat-lai-mat-khau#token=([\w-]+))/.exec(items[0].text);
      assert.ok(link, `no reset link in:\n${items[0].text}`);
      const [, url, token] = link;
      assert.ok(url.startsWith(server.baseURL), `link ${url} is not on ${server.baseURL}`);

      await page.goto(url);
      await page.locator('h1', { hasText: 'Đặt lại mật khẩu' }).waitFor();
      // The token leaves the address bar at once.
      await page.waitForFunction(() => window.location.hash === '');
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(fresh);
      await page.getByLabel('Nhập lại mật khẩu mới').fill(fresh);
      await page.getByRole('button', { name: 'Lưu mật khẩu mới' }).click();
      await page.getByTestId('form-success').filter({ hasText: 'Đã đặt mật khẩu mới.' }).waitFor();

      // Only the confirm request's body ever carried the token.
      assert.deepEqual(urls.filter((u) => u.includes(token)), []);
      assert.equal(bodies.filter((b) => b.includes(token)).length, 1);

      // The link works once (a new page load, as from the e-mail).
      await page.goto('/');
      await page.goto(url);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(fresh + 'x');
      await page.getByLabel('Nhập lại mật khẩu mới').fill(fresh + 'x');
      await page.getByRole('button', { name: 'Lưu mật khẩu mới' }).click();
      await page.getByTestId('form-error').filter({ hasText: 'Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn' }).waitFor();

      await page.goto('/dang-nhap');
      await logIn(page, email, fresh);
      await page.getByTestId('nav-account').filter({ hasText: name }).waitFor();
      assert.deepEqual(unexpectedErrors(page, 400), []);
    });
  });

  test('a link without its token says so', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/dat-lai-mat-khau');
      await page.getByTestId('form-error').filter({ hasText: 'Liên kết đặt lại mật khẩu không đầy đủ.' }).waitFor();
      await page.getByRole('link', { name: 'Yêu cầu liên kết mới' }).click();
      await page.waitForURL('**/quen-mat-khau');
    });
  });

  test('too many attempts tell how long to wait', async (t) => {
    const page = await browser.newPage();
    const email = uniqueEmail('binh');
    await createAccount({ email, password: 'muoi-Bac-Lieu-2025', full_name: 'Đỗ Văn Bình' });
    await withScreenshot(t, page, async () => {
      await page.goto('/dang-nhap');
      const message = page.getByTestId('form-error');
      for (let i = 0; i < 5; i++) {
        await logIn(page, email, `wrong-${i}-password`);
        await message.filter({ hasText: wrongCredentials }).waitFor();
        await page.getByRole('button', { name: 'Đăng nhập', exact: true, disabled: false }).waitFor();
      }
      await logIn(page, email, 'still-wrong-password');
      await message.filter({ hasText: /Bạn đã thử quá nhiều lần.*Vui lòng đợi \d+ giây rồi thử lại\./ }).waitFor();
      assert.deepEqual(unexpectedErrors(page, 401, 429), []);
    });
  });

  test('log-in and account pages fit a phone screen', async (t) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const email = uniqueEmail('mai');
    await createAccount({ email, phone: '0356 123 456', password: 'buoi-Dien-Phuc-Trach', full_name: 'Hoàng Thị Thanh Mai' });
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await withScreenshot(t, page, async () => {
      await page.goto('/dang-nhap');
      await page.locator('h1', { hasText: 'Đăng nhập' }).waitFor();
      assert.equal(await overflow(), 0, 'log-in page is wider than the screen');
      await screenshot(page, 'login-vi-mobile');

      await logIn(page, email, 'buoi-Dien-Phuc-Trach');
      await page.getByTestId('nav-account').waitFor();
      await page.goto('/tai-khoan');
      await page.getByTestId('profile-name').waitFor();
      assert.equal(await overflow(), 0, 'account page is wider than the screen');
      await screenshot(page, 'account-vi-mobile');

      await page.getByTestId('lang-switch').click();
      await page.locator('h1', { hasText: 'Account' }).waitFor();
      assert.equal(await page.getByTestId('profile-roles').textContent(), 'Buyer');
      await screenshot(page, 'account-en-mobile');
      assert.deepEqual(unexpectedErrors(page), []);
    });
  });
});
