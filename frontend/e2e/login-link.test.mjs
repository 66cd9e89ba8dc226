// Signing in with a link by e-mail, the way in for the owner of an account
// whose password log-in an attack has blocked: ask for the link from the
// log-in page, open it from the (development) mailbox, sign in, once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, startServer, withScreenshot } from './harness.mjs';

describe('sign-in link', () => {
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

  test('a link from the log-in page signs in once', async (t) => {
    const page = await browser.newPage();
    const email = `lan.${process.pid}@example.vn`;
    const name = 'Nguyễn Thị Lan';
    const res = await fetch(`${server.baseURL}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.baseURL },
      body: JSON.stringify({ client: 'api', email, password: 'che-Thai-Nguyen-2025', full_name: name }),
    });
    assert.equal(res.status, 201, await res.text());
    /** @type {string[]} */
    const urls = [];
    page.on('request', (req) => urls.push(req.url()));

    await withScreenshot(t, page, async () => {
      await page.goto('/dang-nhap');
      await page.getByRole('link', { name: 'Đăng nhập bằng liên kết qua email' }).click();
      await page.waitForURL('**/dang-nhap-bang-lien-ket');
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
      await page.getByTestId('form-success').filter({ hasText: 'chúng tôi đã gửi liên kết đăng nhập' }).waitFor();

      const box = await fetch(`${server.baseURL}/api/v1/dev/mailbox?to=${encodeURIComponent(email)}`);
      assert.equal(box.status, 200);
      const { items } = await box.json();
      assert.equal(items.length, 1);
      const link = /(https?:\/\/\S+\/dang-nhap-bang-lien-ket#token=([\w-]+))/.exec(items[0].text);
      assert.ok(link, `no sign-in link in:\n${items[0].text}`);
      const [, url, token] = link;

      // A new page load, as from the e-mail.
      await page.goto('/');
      await page.goto(url);
      await page.waitForFunction(() => window.location.hash === '');
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      await page.getByTestId('nav-account').filter({ hasText: name }).waitFor();
      assert.deepEqual(urls.filter((u) => u.includes(token)), [], 'the token went into a URL');

      // Once only.
      await page.goto('/');
      await page.goto(url);
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      await page.getByTestId('form-error').filter({ hasText: 'Liên kết đăng nhập không hợp lệ' }).waitFor();
      assert.deepEqual(
        page.errors.filter((e) => !e.includes('status of 400')),
        [],
      );
    });
  });
});
