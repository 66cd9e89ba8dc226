// Search precision with the demo catalog (htxmarket seed): "dừa" (coconut)
// shows coconut products only, not pineapples (dứa, khóm, thơm) nor
// "Gạo Nàng thơm"; loose matches come apart, under their own heading; a
// word that matches nothing is named; and the product list and the search
// page share their filters and cards, on a desktop and a phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, startServer, withScreenshot } from './harness.mjs';

/** notCoconut are names of the demo catalog that a fold of "dừa" would bring. */
const notCoconut = [/khóm/i, /dứa/i, /thơm/i, /dưa/i];

describe('search precision', () => {
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

  for (const [size, options] of [
    ['desktop', {}],
    ['phone', phone],
  ]) {
    test(`"dừa" shows coconut products only (${size})`, async (t) => {
      const page = await browser.newPage(options);
      await withScreenshot(t, page, async () => {
        await page.goto('/tim-kiem?q=' + encodeURIComponent('dừa'));
        const exact = page.getByTestId('search-results').getByTestId('search-hit-name');
        await exact.first().waitFor();
        const names = await exact.allInnerTexts();
        assert.ok(names.length >= 3, `coconut products: ${names.join(' | ')}`);
        for (const want of ['Kẹo dừa Bến Tre', 'Dừa sáp Cầu Kè']) {
          assert.ok(names.some((n) => n.startsWith(want)), `${want} missing from ${names.join(' | ')}`);
        }
        for (const name of names) {
          assert.ok(!notCoconut.some((re) => re.test(name)), `"${name}" is not a coconut product`);
        }
        // The count is of these exact matches, not inflated by loose ones.
        const count = await page.getByTestId('search-count').innerText();
        assert.match(count, new RegExp(`^${names.length} sản phẩm`), count);
        // Loose matches, when there are any, stand apart and are none of the above either.
        const loose = page.getByTestId('search-loose-results').getByTestId('search-hit-name');
        for (const name of await loose.allInnerTexts()) {
          assert.ok(!/khóm|thơm/i.test(name), `loose "${name}"`);
        }
        await noSidewaysScroll(page);
        await screenshot(page, `search-precision-dua-${size}`);

        // Without tones, every form: the pineapples come back.
        await page.goto('/tim-kiem?q=dua');
        await page.getByTestId('search-results').getByTestId('search-hit-name').first().waitFor();
        const folded = await page.getByTestId('search-results').getByTestId('search-hit-name').allInnerTexts();
        assert.ok(folded.some((n) => /Khóm Cầu Đúc/.test(n)), `dua: ${folded.join(' | ')}`);
        assert.ok(folded.length > names.length, `dua finds more than dừa: ${folded.length} vs ${names.length}`);

        // A word that matches nothing is left out, and named.
        await page.goto('/tim-kiem?q=' + encodeURIComponent('kẹo dừa zzqxw'));
        await page.getByTestId('search-dropped').waitFor();
        assert.match(await page.getByTestId('search-dropped').innerText(), /zzqxw/);
        await page.getByTestId('search-results').getByTestId('search-hit-name').first().waitFor();
        assert.deepEqual(page.errors, []);
      });
    });

    test(`the product list and the search page share filters and cards (${size})`, async (t) => {
      const page = await browser.newPage(options);
      await withScreenshot(t, page, async () => {
        /** @param {string} cardId */
        const shape = async (cardId) => {
          const card = page.getByTestId(cardId).first();
          await card.waitFor();
          return {
            cardClass: await card.getAttribute('class'),
            parts: await card.evaluate((el) =>
              [...el.querySelectorAll('[class^="product-card__"]')].map((e) => e.className.split(' ')[0]).filter((c, i, a) => a.indexOf(c) === i),
            ),
          };
        };
        /** The filters: the panel on a desktop, the sheet behind its button on a phone. */
        const facets = async () => {
          if (size === 'phone') {
            await page.getByTestId('filter-open').click();
            await page.getByTestId('filter-sheet').waitFor();
          }
          const scope = size === 'phone' ? page.getByTestId('filter-sheet') : page;
          await scope.getByTestId('facet-group').first().waitFor();
          const names = [];
          for (const id of ['facet-province', 'facet-group', 'facet-stars']) {
            if ((await scope.getByTestId(id).count()) > 0) names.push(id);
          }
          return names;
        };
        await page.goto('/san-pham?group=thuc-pham');
        const list = await shape('product-card');
        const listFacets = await facets();
        await page.goto('/tim-kiem?q=' + encodeURIComponent('dừa') + '&group=thuc-pham');
        const found = await shape('search-hit');
        const searchFacets = await facets();
        assert.deepEqual(found, list);
        assert.deepEqual(searchFacets, listFacets);
        assert.ok(listFacets.includes('facet-group'), listFacets.join(','));
        assert.deepEqual(page.errors, []);
      });
    });
  }
});
