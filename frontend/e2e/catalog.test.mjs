// The catalog with the demo data (htxmarket seed): the product list's
// filters in the URL, a product page with wholesale tiers and its OCOP
// badge, a storefront, and the manager's dashboard, on a desktop and a phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';


describe('catalog', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {Awaited<ReturnType<typeof openBrowser>>} */
  let browser;

  before(async () => {
    server = await startServer({ seed: true });
    browser = await openBrowser({ baseURL: server.baseURL });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('home page shows OCOP groups and the newest products', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/');
      // The groups come from GET /api/v1/ocop-groups, after the first paint.
      await page.getByTestId('group-link').first().waitFor();
      assert.equal(await page.getByTestId('group-link').count(), 6);
      const cards = page.getByTestId('product-card');
      await cards.first().waitFor();
      assert.equal(await cards.count(), 8);
      await page.getByTestId('group-link').filter({ hasText: 'Đồ uống' }).click();
      await page.waitForURL('**/san-pham?group=do-uong');
      await page.getByTestId('product-card').first().waitFor();
      const group = page.getByTestId('facet-group').locator('a[aria-current="true"]');
      assert.equal(await group.getAttribute('data-value'), 'do-uong');
      assert.deepEqual(page.errors, []);
    });
  });

  test('product list: filter by province, the URL follows, load more', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham');
      const cards = page.getByTestId('product-card');
      await cards.first().waitFor();
      assert.equal(await cards.count(), 24);
      await screenshot(page, 'product-list-vi');

      // "Xem thêm" appends the next page.
      await page.getByTestId('load-more').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-card"]').length > 24);

      // The province facet lists the provinces with the most products first; the rest behind "Xem tất cả".
      const provinces = page.getByTestId('facet-province');
      const haNoi = provinces.locator('a[data-value="ha-noi"]');
      if ((await haNoi.count()) === 0) await provinces.getByRole('button', { name: /Xem tất cả/ }).click();
      assert.equal((await haNoi.textContent())?.startsWith('Hà Nội'), true);
      await haNoi.click();
      await page.waitForURL((url) => url.searchParams.get('province') === 'ha-noi');
      await page.waitForFunction(() => {
        const places = [...document.querySelectorAll('[data-testid="product-province"]')].map((e) => e.textContent);
        return places.length > 0 && places.length < 24 && places.every((p) => p === 'Hà Nội');
      });
      const first = await page.getByTestId('product-card').count();
      assert.ok(first >= 1);

      // Sorting by price joins the query; the address can be shared.
      await page.getByLabel('Sắp xếp').selectOption('price_asc');
      await page.waitForURL((url) => url.searchParams.get('sort') === 'price_asc' && url.searchParams.get('province') === 'ha-noi');
      await page.waitForFunction(() => {
        const prices = [...document.querySelectorAll('[data-testid="product-price"]')].map((e) =>
          Number((e.textContent ?? '').replace(/\D/g, '')),
        );
        return prices.length > 1 && prices.every((p, i) => i === 0 || prices[i - 1] <= p);
      });
      const shared = page.url();
      const other = await browser.newPage();
      await other.goto(shared);
      await other.getByTestId('product-card').first().waitFor();
      assert.equal(await other.getByTestId('facet-province').locator('a[aria-current="true"]').getAttribute('data-value'), 'ha-noi');
      assert.equal(await other.getByTestId('product-card').count(), first);

      // Nothing matches: the empty state offers to clear the filters.
      await page.goto('/san-pham?province=ha-noi&min_price=999999999');
      await page.getByTestId('products-empty').waitFor();
      await page.getByRole('button', { name: 'Xoá bộ lọc' }).click();
      await page.waitForURL((url) => url.search === '');
      await page.getByTestId('product-card').first().waitFor();
      assert.deepEqual(page.errors, []);
    });
  });

  test('product page: tier prices, OCOP badge, cooperative card', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham/buoi-dien');
      await page.locator('h1', { hasText: 'Bưởi Diễn' }).waitFor();
      const badge = page.getByTestId('ocop-badge');
      assert.equal(await badge.getAttribute('data-current'), 'true');
      assert.match((await badge.textContent()) ?? '', /OCOP ★★★/);
      const tiers = page.getByTestId('tier-prices');
      const tierText = (await tiers.textContent()) ?? '';
      assert.match(tierText, /20 kg/);
      assert.match(tierText, /38\.000\s₫/);
      assert.match((await page.getByTestId('variants').textContent()) ?? '', /45\.000\s₫/);
      assert.match((await page.getByTestId('product-price').textContent()) ?? '', /45\.000\s₫ \/ kg/);
      await screenshot(page, 'product-vi');

      await page.getByTestId('coop-card-link').click();
      await page.waitForURL('**/hop-tac-xa/htx-nong-nghiep-dien');
      await page.locator('h1', { hasText: 'HTX Nông nghiệp Diễn' }).waitFor();
      await page.getByTestId('product-card').first().waitFor();
      await screenshot(page, 'storefront-vi');
      assert.deepEqual(page.errors, []);
    });
  });

  test('an expired OCOP rating is not shown as current', async (t) => {
    const page = await browser.newPage();
    await page.route('**/api/v1/products/buoi-dien', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.ocop = { stars: 4, certificate: 'HN-2021-0042', expires_on: '2024-06-30', current: false };
      body.ocop_stars = 0;
      await route.fulfill({ response: res, json: body });
    });
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham/buoi-dien');
      const badge = page.getByTestId('ocop-badge');
      await badge.waitFor();
      assert.equal(await badge.getAttribute('data-current'), 'false');
      const text = (await badge.textContent()) ?? '';
      assert.match(text, /Đã hết hạn/);
      assert.match(text, /Hết hạn ngày/);
      assert.doesNotMatch(text, /Hiệu lực đến/);
    });
  });

  test('unknown product and storefront say so', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham/khong-co-san-pham-nay');
      await page.getByTestId('product-missing').waitFor();
      await page.goto('/hop-tac-xa/khong-co-htx-nay');
      await page.getByTestId('storefront-missing').waitFor();
    });
  });

  test('the product list shows the server’s explanation when it fails', async (t) => {
    const page = await browser.newPage();
    // The list asks the search API (without words), whose answer also counts the filters.
    page.allowFaults = [/^response 503: GET .*\/api\/v1\/search\?/];
    await page.route('**/api/v1/search?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Máy chủ đang bảo trì.' }),
      }),
    );
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham');
      const error = page.getByTestId('products-error');
      await error.waitFor();
      assert.match((await error.textContent()) ?? '', /Máy chủ đang bảo trì\./);
      await page.unroute('**/api/v1/search?*');
      await error.getByRole('button', { name: 'Thử lại' }).click();
      await page.getByTestId('product-card').first().waitFor();
    });
  });

  test('directory filters cooperatives by province', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/hop-tac-xa');
      await page.getByTestId('cooperative-item').first().waitFor();
      await page.getByLabel('Tỉnh, thành phố').selectOption('ha-noi');
      await page.waitForURL('**/hop-tac-xa?province=ha-noi');
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.directory-item__place')].every((e) => (e.textContent ?? '').endsWith('Hà Nội')),
      );
      await page.getByTestId('cooperative-item').filter({ hasText: 'HTX Nông nghiệp Diễn' }).waitFor();
      await screenshot(page, 'directory-vi');
    });
  });

  test('the manager’s dashboard lists the products, drafts included', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await signIn(page, 'quanly@demo.htxmarket.vn');
      await page.getByTestId('nav-manage').click();
      await page.waitForURL('**/quan-ly');
      await page.getByTestId('my-coop').filter({ hasText: 'HTX Nông nghiệp Diễn' }).getByTestId('manage-link').click();
      await page.getByTestId('dashboard-product').first().waitFor();
      await page.getByTestId('edit-product').first().click();
      await page.getByTestId('product-editor').waitFor();
      await page.getByTestId('stock-input').first().waitFor();
      await screenshot(page, 'dashboard-seeded-vi');
      await page.getByTestId('tab-thanh-vien').click();
      await page.getByTestId('members').waitFor();
      await page.getByTestId('tab-ho-so').click();
      await page.getByLabel('Tên hợp tác xã').waitFor();
      assert.equal(await page.getByLabel('Tên hợp tác xã').inputValue(), 'HTX Nông nghiệp Diễn');
      assert.deepEqual(page.errors, []);

      const mobile = await browser.newPage(phone);
      await mobile.context().addCookies(await page.context().cookies());
      await mobile.goto('/quan-ly/htx-nong-nghiep-dien');
      await mobile.getByTestId('dashboard-product').first().waitFor();
      await noSidewaysScroll(mobile);
      await screenshot(mobile, 'dashboard-vi-mobile');
    });
  });

  test('fits a phone screen: list, product page, storefront', async (t) => {
    const page = await browser.newPage(phone);
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham');
      await page.getByTestId('product-card').first().waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'product-list-vi-mobile');
      await page.goto('/san-pham/buoi-dien');
      await page.getByTestId('tier-prices').waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'product-vi-mobile');
      await page.goto('/hop-tac-xa/htx-nong-nghiep-dien');
      await page.getByTestId('product-card').first().waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'storefront-vi-mobile');
      await page.goto('/');
      await page.getByTestId('product-card').first().waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'home-seeded-vi-mobile');
    });
  });
});
