// Pages that can be shared and found, with the demo data: the HTML the
// server sends (what Zalo, Facebook and search engines read, without
// JavaScript) carries each page's title, description, image and price, and
// the tab's title follows the app as it navigates.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, startServer, withScreenshot } from './harness.mjs';

const suffix = ' – HTX Market';

/** meta returns the content of a <meta property|name=key> in html, unescaped as a browser would. */
function meta(html, key) {
  const m = html.match(new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`));
  return m ? m[1].replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&') : undefined;
}

describe('shareable pages', () => {
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

  test('the built index.html gets each page’s head from the server', async () => {
    const res = await fetch(`${server.baseURL}/san-pham/buoi-dien`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>Bưởi Diễn – HTX Market<\/title>/);
    assert.equal(html.match(/<title>/g)?.length, 1, 'one title');
    assert.equal(meta(html, 'og:title'), 'Bưởi Diễn');
    assert.equal(meta(html, 'og:url'), `${server.baseURL}/san-pham/buoi-dien`);
    assert.equal(meta(html, 'product:price:amount'), '45000');
    assert.equal(meta(html, 'product:price:currency'), 'VND');
    assert.match(meta(html, 'og:description') ?? '', /^Giá từ 45\.000 ₫ · HTX Nông nghiệp Diễn, Hà Nội\. /);
    // The demo product has no photo: the site's image, which the build ships.
    const image = meta(html, 'og:image') ?? '';
    assert.equal(image, `${server.baseURL}/og-image.png`);
    const png = await fetch(image);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    // The application's own tags survived the build.
    assert.match(html, /<script type="module"[^>]* src="\/assets\/[^"]+\.js"/);
    assert.doesNotMatch(html, /page-head/);

    const missing = await fetch(`${server.baseURL}/san-pham/khong-co-san-pham-nay`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<div id="root">/);
  });

  test('the tab’s title follows navigation', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      const titled = (title) => page.waitForFunction((want) => document.title === want, title + suffix);

      await page.goto('/');
      await titled('Chợ sản phẩm hợp tác xã và OCOP Việt Nam');

      await page.goto('/tim-kiem?q=b%C6%B0%E1%BB%9Fi');
      assert.equal(await page.title(), 'Tìm kiếm: bưởi' + suffix, 'the server’s title, before the app runs');
      await titled('Tìm kiếm: bưởi');

      // A search result, then its cooperative.
      await page.locator('a[href="/san-pham/buoi-dien"]').first().click();
      await titled('Bưởi Diễn');
      await page.locator('main a[href^="/hop-tac-xa/"]').first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/hop-tac-xa/'));
      await titled('HTX Nông nghiệp Diễn');

      // Back and forward step through the titles too.
      await page.goBack();
      await titled('Bưởi Diễn');
      await page.goBack();
      await titled('Tìm kiếm: bưởi');
      await page.goForward();
      await titled('Bưởi Diễn');

      // Pages named by their address, reached inside the app.
      await page.evaluate(() => {
        history.pushState({}, '', '/hop-tac-xa');
        dispatchEvent(new PopStateEvent('popstate'));
      });
      await titled('Hợp tác xã');
      await page.locator('main a[href^="/hop-tac-xa/"]').first().waitFor();

      // An unknown product: 404 from the server, and the app says so in the tab.
      const res = await page.goto('/san-pham/khong-co-san-pham-nay');
      assert.equal(res?.status(), 404);
      await page.getByTestId('product-missing').waitFor();
      await titled('Không tìm thấy sản phẩm');
      await page.goto('/khong-co-trang-nay');
      await titled('Không tìm thấy trang');
    });
  });
});
