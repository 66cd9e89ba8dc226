// Whole journeys through the storefront as a shopper clicks them, on a phone
// and a desktop: search → result → back → next page → back, and every
// top-level page reached from another. The harness fails any test whose
// pages throw, log an uncaught error, lose a request or get a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, phone, screenshot, startServer, withScreenshot } from './harness.mjs';

const sizes = [
  { name: 'desktop', options: { viewport: { width: 1366, height: 800 } } },
  { name: 'phone', options: phone },
];

describe('journeys', () => {
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

  for (const size of sizes) {
    test(`${size.name}: search, open a result, back, next page, open a result, back twice`, async (t) => {
      const page = await browser.newPage(size.options);
      await withScreenshot(t, page, async () => {
        // "htx" is in every product's cooperative name: several pages.
        await page.goto('/tim-kiem?q=htx');
        const hits = page.getByTestId('search-hit');
        await hits.first().waitFor();
        const firstPage = await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));
        assert.equal(firstPage.length, 24, 'a full first page');

        // A click on a result opens its product page.
        const slug = firstPage[0];
        await hits.first().getByRole('link').first().click();
        await page.waitForURL((url) => url.pathname === `/san-pham/${slug}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        assert.notEqual(await page.locator('#root').innerHTML(), '', 'the app is still drawn');

        // Back returns to the same results.
        await page.goBack();
        await page.waitForURL((url) => url.pathname === '/tim-kiem' && url.searchParams.get('q') === 'htx');
        await hits.first().waitFor();
        assert.deepEqual(await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-slug'))), firstPage);

        // "Sau ›" moves to page 2, whose results differ.
        await page.getByTestId('search-next-page').click();
        await page.waitForURL((url) => url.searchParams.get('page') === '2');
        await page.waitForFunction(
          (first) => {
            const el = document.querySelector('[data-testid="search-hit"]');
            return el && el.getAttribute('data-slug') !== first && !document.querySelector('[data-testid="search-loading"]');
          },
          firstPage[0],
        );
        const secondPage = await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));
        assert.ok(secondPage.length > 0);
        assert.ok(secondPage.every((s) => !firstPage.includes(s)), 'page 2 repeats none of page 1');
        assert.equal(await page.evaluate(() => window.scrollY), 0, 'a new page starts at the top');

        const other = secondPage[secondPage.length - 1];
        await page.locator(`[data-testid="search-hit"][data-slug="${other}"]`).getByRole('link').first().click();
        await page.waitForURL((url) => url.pathname === `/san-pham/${other}`);
        await page.getByRole('heading', { level: 1 }).waitFor();

        await page.goBack();
        await page.waitForURL((url) => url.searchParams.get('page') === '2');
        await hits.first().waitFor();
        await page.goBack();
        await page.waitForURL((url) => url.pathname === '/tim-kiem' && url.searchParams.get('page') === null);
        await page.waitForFunction(
          (first) => document.querySelector('[data-testid="search-hit"]')?.getAttribute('data-slug') === first,
          firstPage[0],
        );
        await screenshot(page, `journey-search-${size.name}`);
      });
    });

    test(`${size.name}: every top-level page, reached from another, draws without an error`, async (t) => {
      const page = await browser.newPage(size.options);
      await withScreenshot(t, page, async () => {
        const visited = [];
        /** check waits until the app drew the page at path, with its main heading. */
        async function check(path) {
          await page.waitForURL((url) => url.pathname === path);
          await page.locator('main h1, main h2').first().waitFor();
          visited.push(path);
        }

        await page.goto('/tim-kiem?q=ca');
        await page.getByTestId('search-hit').first().waitFor();
        // From the search page through the header: products, cooperatives, home.
        await page.getByTestId('nav-products').click();
        await check('/san-pham');
        await page.goBack();
        await page.getByTestId('search-hit').first().waitFor();
        await page.getByTestId('nav-cooperatives').click();
        await check('/hop-tac-xa');
        // A storefront from the directory.
        await page.locator('main a[href^="/hop-tac-xa/"]').first().click();
        await page.waitForURL((url) => url.pathname.startsWith('/hop-tac-xa/') && url.pathname.length > 12);
        await page.locator('main h1').first().waitFor();
        visited.push('storefront');
        // A product from the storefront.
        await page.locator('main a[href^="/san-pham/"]').first().click();
        await page.waitForURL((url) => url.pathname.startsWith('/san-pham/'));
        await page.locator('main h1').first().waitFor();
        visited.push('product');
        // Home through the brand.
        await page.locator('.site-header__brand').click();
        await check('/');
        // Pages a visitor opens by address.
        for (const path of ['/dang-nhap', '/dang-ky', '/quen-mat-khau', '/dang-ky-hop-tac-xa', '/khong-co-trang-nay']) {
          await page.goto(path);
          await check(path);
        }
        // Back through all of them, then forward again, without an error.
        for (let i = 0; i < 4; i++) await page.goBack();
        await page.locator('main h1, main h2').first().waitFor();
        for (let i = 0; i < 4; i++) await page.goForward();
        await page.locator('main h1, main h2').first().waitFor();
        assert.ok(visited.length >= 10, visited.join(' → '));
      });
    });
  }
});
