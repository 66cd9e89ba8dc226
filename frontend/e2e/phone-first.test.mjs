// Phone first, with the demo data: a compact header that keeps to its lines
// on a desktop (signed in as a cooperative's manager) and sticks to the top
// on a phone; the filters in a bottom sheet that counts as you choose; one
// card on the product list and the search; the home page's province counts;
// and the app shell painted before (or without) JavaScript. Screenshots:
// test-results/phone-first-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const desktop = { viewport: { width: 1366, height: 800 } };
const manager = 'quanly@demo.htxmarket.vn';

/** box is an element's rectangle on the screen (null when it is not drawn). */
async function box(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width === 0 && r.height === 0 ? null : { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
  });
}

/** sameLine tells whether two rectangles share a line: each one's middle lies within the other. */
function sameLine(a, b) {
  const mid = (r) => (r.top + r.bottom) / 2;
  return mid(a) > b.top && mid(a) < b.bottom && mid(b) > a.top && mid(b) < a.bottom;
}

/** countOf reads "188 sản phẩm" as 188. */
function countOf(text) {
  const m = /(\d[\d.]*)/.exec(text ?? '');
  return m ? Number(m[1].replace(/\./g, '')) : NaN;
}

/**
 * cardShape describes a card by its elements and classes, without its
 * words, test IDs or addresses: two cards of one design have one shape.
 */
async function cardShape(card) {
  return card.evaluate((el) => {
    const shape = (n) => ({
      tag: n.tagName,
      cls: [...n.classList].filter((c) => c !== 'search-hit__stock').sort().join(' '),
      kids: [...n.children].filter((c) => c.tagName !== 'MARK').map(shape),
    });
    return JSON.stringify(shape(el));
  });
}

describe('phone first', () => {
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

  test('1366 px, signed in as a manager: the header keeps to its two lines', async (t) => {
    const page = await browser.newPage(desktop);
    await withScreenshot(t, page, async () => {
      await signIn(page, manager);
      await page.goto('/san-pham');
      await page.getByTestId('nav-manage').waitFor();
      await page.getByTestId('product-card').first().waitFor();

      const header = page.locator('.site-header');
      const parts = {
        brand: page.locator('.site-header__brand'),
        nav: page.locator('.site-header .main-nav'),
        products: page.getByTestId('nav-products'),
        cooperatives: page.getByTestId('nav-cooperatives'),
        manage: page.getByTestId('nav-manage'),
        account: page.getByTestId('nav-account'),
        orders: page.getByTestId('nav-orders'),
        logout: page.getByTestId('nav-logout'),
        lang: page.getByTestId('lang-switch'),
        search: page.getByTestId('search-box-header'),
        cart: page.getByTestId('nav-cart'),
      };
      const boxes = {};
      for (const [name, locator] of Object.entries(parts)) {
        boxes[name] = await box(locator);
        assert.ok(boxes[name], `${name} is drawn`);
      }
      const whole = await box(header);

      // The strip: sections, account, orders, log-out, language on one line.
      for (const name of ['cooperatives', 'manage', 'account', 'orders', 'logout', 'lang']) {
        assert.ok(sameLine(boxes.products, boxes[name]), `${name} on the strip's line: ${JSON.stringify(boxes[name])} vs ${JSON.stringify(boxes.products)}`);
      }
      // The main line: brand, search, cart, under the strip.
      for (const name of ['search', 'cart']) {
        assert.ok(sameLine(boxes.brand, boxes[name]), `${name} on the brand's line`);
      }
      assert.ok(boxes.brand.top >= boxes.products.bottom - 1, 'the brand is under the strip');
      // Nothing wraps: every link is one line high, and the header two lines.
      for (const name of ['products', 'cooperatives', 'manage', 'account', 'orders', 'logout', 'lang', 'cart']) {
        assert.ok(boxes[name].height <= 46, `${name} is ${boxes[name].height}px high: its words wrapped`);
      }
      assert.ok(whole.height <= 110, `the header is ${whole.height}px high`);
      // In order along each line, none over another.
      assert.ok(boxes.nav.right <= boxes.account.left, 'the sections end before the account');
      assert.ok(boxes.logout.right <= boxes.lang.left, 'the log-out ends before the language switch');
      assert.ok(boxes.brand.right <= boxes.search.left && boxes.search.right <= boxes.cart.left, 'brand, search, cart in a row');
      assert.ok((await box(page.getByTestId('search-box-header').getByRole('combobox'))).right - boxes.search.left >= 300, 'the search box is wide');
      await noSidewaysScroll(page);

      // The row with the search stays on screen as the page scrolls; the strip goes.
      await page.mouse.wheel(0, 1500);
      await page.waitForFunction(() => window.scrollY > 1000);
      const search = await box(parts.search);
      assert.ok(search && search.top >= 0 && search.top < 20, `the search is at ${search?.top}px after scrolling`);
      await screenshot(page, 'phone-first-header-1366');
    });
  });

  test('360 px: brand, account, search and cart in a compact header that sticks; sections reachable', async (t) => {
    const page = await browser.newPage(phone);
    await withScreenshot(t, page, async () => {
      // Signed out: brand, log-in and sign-up on one line, the search and the cart on the next.
      await page.goto('/san-pham');
      await page.getByTestId('product-card').first().waitFor();
      const brand = await box(page.locator('.site-header__brand'));
      const login = await box(page.getByTestId('nav-login'));
      const register = await box(page.getByTestId('nav-register'));
      const search = await box(page.getByTestId('search-box-header'));
      const cart = await box(page.getByTestId('nav-cart'));
      assert.ok(brand && login && register && search && cart);
      assert.ok(sameLine(brand, login) && sameLine(brand, register), 'brand and account share a line');
      assert.ok(sameLine(search, cart), 'search and cart share a line');
      assert.ok(search.top >= brand.bottom - 1, 'the search is under the brand');
      await noSidewaysScroll(page);

      // Signed in as a manager: the name beside the brand, orders and log-out behind its button.
      await signIn(page, manager);
      await page.goto('/san-pham');
      await page.getByTestId('product-card').first().waitFor();
      const header = await box(page.locator('.site-header'));
      assert.ok(header && header.height <= 150, `the header is ${header?.height}px high`);
      const account = await box(page.getByTestId('nav-account'));
      const brand2 = await box(page.locator('.site-header__brand'));
      assert.ok(account && brand2 && sameLine(account, brand2), 'the account is on the brand’s line');
      assert.equal(await page.getByTestId('nav-orders').isVisible(), false, 'orders fold away');
      await noSidewaysScroll(page);
      await screenshot(page, 'phone-first-list-360');

      await page.getByTestId('nav-account-menu').click();
      await page.getByTestId('nav-orders').waitFor();
      await page.getByTestId('nav-logout').waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'phone-first-account-menu-360');
      await page.keyboard.press('Escape');
      await page.getByTestId('nav-orders').waitFor({ state: 'hidden' });

      // Scrolling: the search and the cart stay at the top of the screen.
      await page.mouse.wheel(0, 2000);
      await page.waitForFunction(() => window.scrollY > 1000);
      const stuck = await box(page.getByTestId('search-box-header'));
      const stuckCart = await box(page.getByTestId('nav-cart'));
      assert.ok(stuck && stuck.top >= 0 && stuck.top < 16, `the search is at ${stuck?.top}px after scrolling`);
      assert.ok(stuckCart && stuckCart.top >= 0 && stuckCart.bottom < 70, 'the cart stays in view');
      const hidden = await page.evaluate(() => document.elementFromPoint(180, 20)?.closest('.site-header') !== null);
      assert.ok(hidden, 'the header covers the top of the screen');

      // The sections: on the strip at the top, every one reachable.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId('nav-manage').click();
      await page.waitForURL((url) => url.pathname === '/quan-ly');
      await page.getByTestId('nav-cooperatives').click();
      await page.waitForURL((url) => url.pathname === '/hop-tac-xa');
      await page.getByTestId('nav-products').click();
      await page.waitForURL((url) => url.pathname === '/san-pham');
    });
  });

  for (const where of [
    { name: 'product list', path: '/san-pham', count: 'products-count', card: 'product-card' },
    { name: 'search', path: '/tim-kiem?q=htx', count: 'search-count', card: 'search-hit' },
  ]) {
    test(`360 px, ${where.name}: the filter sheet counts as you choose, "Xem N kết quả" shows N`, async (t) => {
      const page = await browser.newPage(phone);
      await withScreenshot(t, page, async () => {
        await page.goto(where.path);
        await page.getByTestId(where.card).first().waitFor();
        const before = countOf(await page.getByTestId(where.count).textContent());
        assert.ok(before > 24, `${before} products before filtering`);
        // On a phone the filters wait behind their button.
        assert.equal(await page.getByTestId('facet-province').count(), 0);

        await page.getByTestId('filter-open').click();
        const sheet = page.getByTestId('filter-sheet');
        await sheet.waitFor();
        const apply = sheet.getByTestId('filter-sheet-apply');
        assert.equal(await apply.textContent(), `Xem ${before} kết quả`);
        await noSidewaysScroll(page);
        await screenshot(page, `phone-first-filter-sheet-${where.name === 'search' ? 'search' : 'list'}-360`);

        // A province: the button counts its products, the URL waits.
        const province = sheet.getByTestId('facet-province').locator('a').first();
        const expected = Number(await province.locator('[aria-hidden="true"]').last().textContent());
        const slug = await province.getAttribute('data-value');
        await province.click();
        await page.waitForFunction((n) => document.querySelector('[data-testid="filter-sheet-apply"]')?.getAttribute('data-count') === String(n), expected);
        assert.equal(await apply.textContent(), `Xem ${expected} kết quả`);
        assert.equal(await province.getAttribute('aria-current'), 'true');
        assert.equal(new URL(page.url()).searchParams.get('province'), null, 'nothing applied yet');

        // In stock as well: fewer or as many.
        await sheet.getByRole('checkbox', { name: 'Còn hàng' }).check();
        await page.waitForFunction(
          (n) => {
            const c = document.querySelector('[data-testid="filter-sheet-apply"]')?.getAttribute('data-count');
            return c !== null && c !== undefined && Number(c) <= n && !document.querySelector('[data-testid="filter-sheet-apply"][aria-busy="true"]');
          },
          expected,
        );
        const n = Number(await apply.getAttribute('data-count'));
        assert.match((await apply.textContent()) ?? '', new RegExp(`^Xem ${n} kết quả$`));
        await screenshot(page, `phone-first-filter-sheet-chosen-${where.name === 'search' ? 'search' : 'list'}-360`);

        await apply.click();
        await sheet.waitFor({ state: 'detached' });
        await page.waitForURL((url) => url.searchParams.get('province') === slug && url.searchParams.get('in_stock') === 'true');
        await page.waitForFunction(
          ({ id, n }) => document.querySelector(`[data-testid="${id}"]`)?.textContent === `${n} sản phẩm`,
          { id: where.count, n },
        );
        await page.waitForFunction(
          ({ card, n }) => document.querySelectorAll(`[data-testid="${card}"]`).length === Math.min(n, 24) && !document.querySelector('.browse__results--stale'),
          { card: where.card, n },
        );
        // The button says how many choices are in use; the chips can remove them.
        assert.match((await page.getByTestId('filter-open').textContent()) ?? '', /Bộ lọc\s*2/);
        assert.equal(await page.getByTestId('active-filters').getByRole('link', { name: /Bỏ lọc/ }).count(), 2);
        await noSidewaysScroll(page);
        await screenshot(page, `phone-first-${where.name === 'search' ? 'search' : 'list'}-filtered-360`);

        // Escape closes the sheet without applying anything.
        await page.getByTestId('filter-open').click();
        await sheet.waitFor();
        await sheet.getByTestId('facet-province').locator('a[aria-current="true"]').click();
        await page.keyboard.press('Escape');
        await sheet.waitFor({ state: 'detached' });
        assert.equal(new URL(page.url()).searchParams.get('province'), slug);
      });
    });
  }

  test('the product list and the search show the same card: price per unit, stock', async (t) => {
    for (const size of [desktop, phone]) {
      const page = await browser.newPage(size);
      await withScreenshot(t, page, async () => {
        await page.goto('/san-pham?sort=price_asc');
        const listCard = page.getByTestId('product-card').first();
        await listCard.waitFor();
        const listShape = await cardShape(listCard);
        const listText = (await listCard.textContent()) ?? '';
        const slug = await listCard.getAttribute('data-slug');
        await screenshot(page, `phone-first-list-${size === desktop ? 1366 : 360}`);

        await page.goto('/tim-kiem?sort=price_asc');
        const hit = page.getByTestId('search-hit').first();
        await hit.waitFor();
        assert.equal(await hit.getAttribute('data-slug'), slug, 'the same product first');
        assert.equal(await cardShape(hit), listShape);
        assert.equal((await hit.textContent()) ?? '', listText);
        await screenshot(page, `phone-first-search-${size === desktop ? 1366 : 360}`);

        // Both say the price per unit and whether it is in stock.
        // "từ" only before the price of a product whose packagings differ in price.
        assert.match(listText, /(từ )?[\d.]+\s₫\/ \S/);
        assert.match(listText, /Còn hàng|Tạm hết hàng/);
        const stock = await page.locator('[data-testid="search-hit"] .product-card__stock').allTextContents();
        assert.ok(stock.length === 24 && stock.every((s) => s === 'Còn hàng' || s === 'Tạm hết hàng'), stock.join(' | '));
        await noSidewaysScroll(page);
      });
      await page.context().close();
    }
  });

  test('home: products and cooperatives first, provinces with their product counts', async (t) => {
    const res = await fetch(`${server.baseURL}/api/v1/search?per_page=1`);
    const all = await res.json();
    const counts = new Map(all.facets.province.map((v) => [v.value, v.count]));
    for (const size of [desktop, phone]) {
      const page = await browser.newPage(size);
      await withScreenshot(t, page, async () => {
        await page.goto('/');
        await page.getByTestId('product-card').first().waitFor();
        await page.getByTestId('home-cooperative').first().waitFor();
        await page.locator('[data-testid="province-item"][data-products]').first().waitFor();

        // Products, then cooperatives, then groups and provinces.
        const order = await page.evaluate(() =>
          [...document.querySelectorAll('main section h2')].map((h) => h.textContent),
        );
        assert.deepEqual(order.slice(0, 2), ['Sản phẩm mới', 'Hợp tác xã tiêu biểu'], order.join(' | '));
        assert.ok(order.indexOf('Sản phẩm theo tỉnh, thành phố') > 1);
        assert.equal(await page.getByTestId('product-card').count(), 8);

        // Each province says how many products it has, as the search counts them.
        const items = await page.getByTestId('province-item').evaluateAll((els) =>
          els.map((e) => ({ slug: e.getAttribute('data-slug'), products: e.getAttribute('data-products'), text: e.querySelector('[data-testid="province-products"]')?.textContent })),
        );
        assert.equal(items.length, 34);
        for (const item of items) {
          const n = counts.get(item.slug) ?? 0;
          assert.equal(Number(item.products), n, item.slug);
          assert.equal(item.text, n === 0 ? 'Chưa có sản phẩm' : `${n} sản phẩm`, item.slug);
        }
        assert.equal(items.reduce((sum, i) => sum + Number(i.products), 0), all.total);
        assert.doesNotMatch((await page.getByTestId('province-list').textContent()) ?? '', /Trung tâm hành chính/);

        // A cooperative leads to its storefront.
        const coop = page.getByTestId('home-cooperative').first();
        assert.match((await coop.textContent()) ?? '', /\d+ sản phẩm/);
        await noSidewaysScroll(page);
        await screenshot(page, `phone-first-home-${size === desktop ? 1366 : 360}`);
        await coop.click();
        await page.waitForURL((url) => url.pathname.startsWith('/hop-tac-xa/'));
      });
      await page.context().close();
    }
  });

  test('the app shell is painted without JavaScript, and the app replaces it', async (t) => {
    for (const size of [desktop, phone]) {
      const page = await browser.newPage({ ...size, javaScriptEnabled: false });
      await withScreenshot(t, page, async () => {
        await page.goto('/san-pham');
        const shell = page.getByTestId('app-shell');
        await shell.waitFor();
        assert.match((await page.locator('.app-shell__brand').textContent()) ?? '', /HTX Market/);
        assert.equal(await page.locator('.app-shell__card').count(), 8);
        assert.ok((await box(page.locator('.app-shell__card').first()))?.height > 100, 'the cards have their size');
        assert.ok((await box(page.locator('.app-shell__header')))?.height > 80, 'the header has its size');
        await page.getByTestId('app-shell-noscript').waitFor();
        await noSidewaysScroll(page);
        await screenshot(page, `phone-first-shell-${size === desktop ? 1366 : 360}`);
      });
      await page.context().close();
    }
    const page = await browser.newPage(phone);
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham');
      await page.getByTestId('product-card').first().waitFor();
      assert.equal(await page.getByTestId('app-shell').count(), 0);
    });
  });
});
