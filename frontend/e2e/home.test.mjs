// The home page against the real server: Vietnamese first, the province list
// from the API, and a language switch that is remembered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, screenshot, startServer, withScreenshot } from './harness.mjs';

const titleVI = 'Chợ sản phẩm hợp tác xã và OCOP Việt Nam';
const titleEN = "Vietnam's cooperative and OCOP marketplace";

describe('home page', () => {
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

  test('is Vietnamese first, lists the 34 provinces and remembers English', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/');

      const h1 = page.locator('h1');
      await h1.filter({ hasText: titleVI }).waitFor();
      assert.equal((await h1.textContent())?.trim(), titleVI);
      assert.equal(await page.getAttribute('html', 'lang'), 'vi');
      assert.match(await page.title(), /Chợ sản phẩm hợp tác xã/);

      const provinces = page.getByTestId('province-item');
      await provinces.first().waitFor();
      assert.equal(await provinces.count(), 34);
      await page.getByRole('heading', { level: 3, name: 'Hà Nội', exact: true }).waitFor();
      const haiPhong = page.locator('[data-slug="hai-phong"]');
      assert.match((await haiPhong.textContent()) ?? '', /Gồm cả Hải Dương cũ/);

      const langSwitch = page.getByTestId('lang-switch');
      assert.equal((await langSwitch.textContent())?.trim(), 'English');
      await screenshot(page, 'home-vi');

      await langSwitch.click();
      await h1.filter({ hasText: titleEN }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal((await langSwitch.textContent())?.trim(), 'Tiếng Việt');
      assert.match(await page.title(), /cooperative and OCOP marketplace/);

      await page.reload();
      await h1.filter({ hasText: titleEN }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await provinces.first().waitFor();
      assert.equal(await provinces.count(), 34);
      await screenshot(page, 'home-en');

      assert.deepEqual(page.errors, []);
    });
  });

  test('fits a phone screen without sideways scrolling', async (t) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await withScreenshot(t, page, async () => {
      await page.goto('/');
      await page.getByTestId('province-item').first().waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.equal(overflow, 0, 'page is wider than the screen');
      await screenshot(page, 'home-vi-mobile');
    });
  });

  test('shows the server’s explanation when the province list fails', async (t) => {
    const page = await browser.newPage();
    page.allowFaults = [/^response 503: GET .*\/api\/v1\/provinces$/];
    await page.route('**/api/v1/provinces', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'Máy chủ đang bảo trì, vui lòng thử lại sau.',
        }),
      }),
    );
    await withScreenshot(t, page, async () => {
      await page.goto('/');
      const error = page.getByTestId('provinces-error');
      await error.waitFor();
      const text = await error.textContent();
      assert.match(text ?? '', /Không tải được danh sách tỉnh, thành phố\./);
      assert.match(text ?? '', /Máy chủ đang bảo trì, vui lòng thử lại sau\./);

      // Retry reaches the real server once the failure is gone.
      await page.unroute('**/api/v1/provinces');
      await page.getByRole('button', { name: 'Thử lại' }).click();
      await page.getByTestId('province-item').first().waitFor();
      assert.equal(await page.getByTestId('province-item').count(), 34);
    });
  });

  test('says so when there are no provinces', async (t) => {
    const page = await browser.newPage();
    page.allowFaults = [/^response 503: GET .*\/api\/v1\/provinces$/];
    await page.route('**/api/v1/provinces', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"items":[]}' }),
    );
    await withScreenshot(t, page, async () => {
      await page.goto('/');
      await page.getByTestId('provinces-empty').filter({ hasText: 'Chưa có tỉnh, thành phố nào.' }).waitFor();
      assert.equal(await page.getByTestId('province-item').count(), 0);
    });
  });

  test('unknown paths get the app’s not-found page', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      const response = await page.goto('/khong-co-trang-nay');
      assert.ok(response, 'no response');
      await page.locator('h1', { hasText: 'Không tìm thấy trang' }).waitFor();
    });
  });
});
