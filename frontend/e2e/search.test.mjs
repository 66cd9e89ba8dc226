// Product search with the demo data: the header's instant suggestions
// (keyboard and ARIA combobox), the results page with highlighted matches,
// facets in the URL (shareable, back/forward), and the empty state's
// corrections, on a desktop and a phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

describe('search', () => {
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

  test('header box: suggestions, keyboard, Enter searches; facets narrow and the URL is shareable', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/san-pham');
      const box = page.getByTestId('search-box-header').getByRole('combobox');
      await box.click();
      await box.pressSequentially('nuoc mam', { delay: 20 });

      const list = page.getByTestId('search-suggestions');
      await list.getByRole('option').first().waitFor();
      assert.equal(await box.getAttribute('aria-expanded'), 'true');
      assert.equal(await box.getAttribute('aria-controls'), await list.getAttribute('id'));
      const groups = await list.getByRole('group').evaluateAll((els) => els.map((e) => e.textContent));
      assert.ok(groups[0]?.startsWith('Sản phẩm'), `groups: ${groups}`);
      assert.ok(groups.some((g) => g?.startsWith('Hợp tác xã')), `groups: ${groups}`);
      const first = await list.getByRole('option').first().textContent();
      assert.match(first ?? '', /Nước mắm/);
      await screenshot(page, 'search-suggestions-vi');

      // ↓ makes an option active (aria-activedescendant), Escape closes, ↓ reopens.
      await box.press('ArrowDown');
      const activeId = await box.getAttribute('aria-activedescendant');
      assert.ok(activeId);
      assert.equal(await page.locator(`[id="${activeId}"]`).getAttribute('aria-selected'), 'true');
      await box.press('ArrowUp');
      assert.equal(await box.getAttribute('aria-activedescendant'), null);
      await box.press('Escape');
      assert.equal(await box.getAttribute('aria-expanded'), 'false');
      assert.equal(await box.inputValue(), 'nuoc mam');

      // Enter with no option chosen searches for the words.
      await box.press('Enter');
      await page.waitForURL((url) => url.pathname === '/tim-kiem' && url.searchParams.get('q') === 'nuoc mam');
      const hits = page.getByTestId('search-hit');
      await hits.first().waitFor();
      const total = await hits.count();
      assert.ok(total >= 5, `${total} hits`);
      const names = await page.getByTestId('search-hit-name').allTextContents();
      assert.ok(names.every((n) => n.includes('Nước mắm')), names.join(' | '));
      const marked = await page.getByTestId('search-hit-name').first().locator('mark').allTextContents();
      assert.equal(marked.join(' '), 'Nước mắm');
      assert.match((await page.getByTestId('search-count').textContent()) ?? '', /\d+ sản phẩm/);
      assert.equal(await box.inputValue(), 'nuoc mam');
      await screenshot(page, 'search-results-vi');

      // A province facet narrows the results and goes into the URL.
      const province = page.getByTestId('facet-province').locator('a[data-value="da-nang"]');
      await province.click();
      await page.waitForURL((url) => url.searchParams.get('province') === 'da-nang' && url.searchParams.get('q') === 'nuoc mam');
      await page.waitForFunction((n) => {
        const cards = document.querySelectorAll('[data-testid="search-hit"]');
        return cards.length > 0 && cards.length < n && !document.querySelector('[data-testid="search-loading"]');
      }, total);
      const provinces = await page.getByTestId('search-hit-province').allTextContents();
      assert.ok(provinces.length > 0 && provinces.every((p) => p === 'Đà Nẵng'), provinces.join(' | '));
      const chosen = page.getByTestId('facet-province').locator('a[aria-current="true"]');
      assert.equal(await chosen.getAttribute('data-value'), 'da-nang');
      const narrowed = await page.getByTestId('search-hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));

      // The shared address reproduces the page in a fresh browser.
      const shared = page.url();
      const other = await browser.newPage();
      await other.goto(shared);
      await other.getByTestId('search-hit').first().waitFor();
      const again = await other.getByTestId('search-hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));
      assert.deepEqual(again, narrowed);
      assert.equal(await other.getByTestId('facet-province').locator('a[aria-current="true"]').getAttribute('data-value'), 'da-nang');
      assert.equal(await other.getByTestId('search-box-header').getByRole('combobox').inputValue(), 'nuoc mam');
      assert.deepEqual(other.errors, []);

      // The province facet still offers the other provinces (it counts as if
      // none were chosen): adding Quảng Ninh shows the products of both.
      const facet = page.getByTestId('facet-province');
      const quangNinh = facet.locator('a[data-value="quang-ninh"]');
      await quangNinh.waitFor();
      assert.ok(Number(await quangNinh.locator('[aria-hidden="true"]').last().textContent()) > 0);
      await quangNinh.click();
      await page.waitForURL((url) => url.searchParams.getAll('province').join(',') === 'da-nang,quang-ninh');
      await page.waitForFunction((n) => {
        const cards = document.querySelectorAll('[data-testid="search-hit"]');
        return cards.length > n && !document.querySelector('[data-testid="search-loading"]');
      }, narrowed.length);
      const both = new Set(await page.getByTestId('search-hit-province').allTextContents());
      assert.deepEqual([...both].sort(), ['Quảng Ninh', 'Đà Nẵng'], [...both].join(' | '));
      const chosenBoth = await facet.locator('a[aria-current="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
      assert.deepEqual(chosenBoth.sort(), ['da-nang', 'quang-ninh']);
      assert.equal(await page.getByTestId('active-filters').getByRole('link', { name: /Bỏ lọc/ }).count(), 2);
      // Cooperatives are listed by name, not by slug.
      const coop = page.getByTestId('facet-cooperative').locator('a').first();
      const coopName = (await coop.locator('.search-facet__name').textContent()) ?? '';
      assert.ok(coopName.startsWith('HTX') && coopName !== (await coop.getAttribute('data-value')), coopName);

      await screenshot(page, 'search-two-provinces-vi');

      // Removing one province's chip keeps the other.
      await page.getByTestId('active-filters').getByRole('link', { name: 'Bỏ lọc: Quảng Ninh' }).click();
      await page.waitForURL((url) => url.searchParams.getAll('province').join(',') === 'da-nang');
      await page.goBack();
      await page.goBack();

      // Back returns to the unfiltered results.
      await page.goBack();
      await page.waitForURL((url) => url.searchParams.get('province') === null && url.searchParams.get('q') === 'nuoc mam');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="search-hit"]').length === n, total);

      // Sort by price: the URL follows and prices ascend.
      await page.getByLabel('Sắp xếp').selectOption('price_asc');
      await page.waitForURL((url) => url.searchParams.get('sort') === 'price_asc');

      // "Còn hàng" leaves out what is out of stock (of the pomelos, Bưởi
      // Phúc Trạch has none left) and goes into the URL.
      await page.goto('/tim-kiem?q=buoi');
      await page.getByTestId('search-hit').first().waitFor();
      const withOut = await page.getByTestId('search-hit').count();
      assert.ok((await page.locator('.search-hit__stock').count()) > 0, 'an out-of-stock hit before the filter');
      // The box shows the URL's state, which the navigation sets a moment
      // after the click: click, wait for the URL, then check the box.
      const inStock = page.getByRole('checkbox', { name: 'Còn hàng' });
      await inStock.click();
      await page.waitForURL((url) => url.searchParams.get('in_stock') === 'true' && url.searchParams.get('q') === 'buoi');
      await page.waitForFunction(() => document.querySelector('input[name="in_stock"]')?.checked === true);
      await page.waitForFunction((n) => {
        const cards = document.querySelectorAll('[data-testid="search-hit"]');
        return cards.length > 0 && cards.length < n && !document.querySelector('[data-testid="search-loading"]');
      }, withOut);
      assert.equal(await page.locator('.search-hit__stock').count(), 0);
      await screenshot(page, 'search-in-stock-vi');
      assert.deepEqual(page.errors, []);
    });
  });

  test('a search offers a bulk buyer a request for quotes, pre-filled with the words', async (t) => {
    const page = await browser.newPage(phone);
    await withScreenshot(t, page, async () => {
      await signIn(page, 'daily@demo.htxmarket.vn');
      await page.goto('/tim-kiem?q=v%E1%BA%A3i%20thi%E1%BB%81u');
      const ask = page.getByTestId('ask-quote-search');
      await ask.waitFor();
      assert.match((await ask.textContent()) ?? '', /vải thiều/);
      await ask.getByRole('link', { name: 'Yêu cầu báo giá' }).click();
      await page.waitForURL((url) => url.pathname === '/nguon-hang/yeu-cau-moi' && url.searchParams.get('text') === 'vải thiều');
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(await page.getByRole('textbox').first().inputValue(), 'vải thiều');
      await screenshot(page, 'search-ask-quote-form-phone-vi');
      assert.deepEqual(page.errors, []);
    });
  });

  test('choosing a suggestion with the keyboard opens the product; a province suggestion filters', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/');
      // The home page's own search box is the same component.
      const hero = page.getByTestId('search-box-hero').getByRole('combobox');
      await hero.click();
      await hero.pressSequentially('nuoc mam', { delay: 20 });
      const list = page.getByTestId('search-box-hero').getByTestId('search-suggestions');
      await list.getByRole('option').first().waitFor();
      const name = await list.locator('[role="option"][data-kind="product"] .search-box__option-text').first().textContent();
      await hero.press('ArrowDown');
      await hero.press('Enter');
      await page.waitForURL((url) => url.pathname.startsWith('/san-pham/nuoc-mam-'));
      await page.locator('h1', { hasText: name ?? '' }).waitFor();

      const box = page.getByTestId('search-box-header').getByRole('combobox');
      await box.fill('');
      await box.pressSequentially('ha noi', { delay: 20 });
      const header = page.getByTestId('search-box-header');
      const provinceOption = header.locator('[role="option"][data-kind="province"]', { hasText: 'Hà Nội' });
      await provinceOption.waitFor();
      await provinceOption.click();
      await page.waitForURL((url) => url.pathname === '/tim-kiem' && url.searchParams.get('province') === 'ha-noi');
      await page.getByTestId('search-hit').first().waitFor();
      const provinces = await page.getByTestId('search-hit-province').allTextContents();
      assert.ok(provinces.every((p) => p === 'Hà Nội'), provinces.join(' | '));
      assert.deepEqual(page.errors, []);
    });
  });

  test('nothing found: corrections and the top suggestion', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await page.goto('/tim-kiem?q=' + encodeURIComponent('nước mắm xyzqw') + '&province=ha-noi');
      const empty = page.getByTestId('search-empty');
      await empty.waitFor();
      assert.match((await empty.textContent()) ?? '', /Không tìm thấy sản phẩm nào cho “nước mắm xyzqw”/);
      assert.equal(await page.getByTestId('correction-folded').textContent(), 'nuoc mam xyzqw');
      assert.equal(await page.getByTestId('correction-fewer').textContent(), 'nước mắm');
      await page.getByTestId('correction-no-filters').waitFor();
      const top = page.getByTestId('correction-suggestion');
      await top.waitFor();
      assert.match((await top.textContent()) ?? '', /Nước mắm/);
      await screenshot(page, 'search-empty-vi');

      await page.getByTestId('correction-fewer').click();
      await page.waitForURL((url) => url.searchParams.get('q') === 'nước mắm');
      assert.deepEqual(page.errors, []);
    });
  });

  test('phone: suggestions and results fit the screen', async (t) => {
    const page = await browser.newPage(phone);
    await withScreenshot(t, page, async () => {
      await page.goto('/tim-kiem?q=mat+ong');
      await page.getByTestId('search-hit').first().waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'search-results-vi-mobile');

      const box = page.getByTestId('search-box-header').getByRole('combobox');
      await box.fill('');
      await box.pressSequentially('che', { delay: 20 });
      await page.getByTestId('search-box-header').getByRole('option').first().waitFor();
      await noSidewaysScroll(page);
      await page.screenshot({ path: 'test-results/search-suggestions-vi-mobile.png' });

      // English works as well.
      await page.evaluate(() => localStorage.setItem('htxmarket.language', 'en'));
      await page.goto('/tim-kiem?q=mat+ong&stars=4');
      await page.getByTestId('search-hit').first().waitFor();
      assert.match((await page.getByTestId('search-title').textContent()) ?? '', /Results for/);
      await screenshot(page, 'search-results-en-mobile');
      assert.deepEqual(page.errors, []);
    });
  });
});
