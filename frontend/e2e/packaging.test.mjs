// One product, several packagings, with the demo data (htxmarket seed):
// "Nước mắm Phú Quốc" is one product sold by the bottle and by the box of
// six. Its card says "từ" (its packagings differ in price) where a product
// of one packaging does not; on its page, choosing the box changes the
// price, unit, stock and wholesale tiers, and the box is what goes into the
// cart. On a desktop and a phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const sizes = [
  { tag: 'desktop', options: {} },
  { tag: 'phone', options: phone },
];

const header = 'product,sku,cooperative,province,name,group,unit,price_vnd,wholesale_min_qty,wholesale_price_vnd,stock,ocop_stars,certifications,keywords,description';
const bottle = 'buoi-dien,buoi-dien,HTX Nông nghiệp Diễn,ha-noi,Bưởi Diễn,thuc-pham,kg,45000,20,38000,50,3,,"trái cây, bưởi",Bưởi Diễn do HTX Nông nghiệp Diễn sản xuất tại Hà Nội.';
const crate = 'buoi-dien,buoi-dien-thung-10kg,HTX Nông nghiệp Diễn,ha-noi,Bưởi Diễn,thuc-pham,thùng 10 kg,400000,5,360000,12,3,,"trái cây, bưởi",Bưởi Diễn do HTX Nông nghiệp Diễn sản xuất tại Hà Nội.';

/** csvFile is a file for the import form's input. */
function csvFile(...lines) {
  return { name: 'buoi.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...lines].join('\n') + '\n') };
}

/** text is an element's text with its spaces made plain (formatVND puts a no-break space before ₫). */
async function text(locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('packaging', () => {
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

  test('a manager adds a packaging to a product by CSV; rows that disagree on the product are reported', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await signIn(page, 'quanly@demo.htxmarket.vn');
      await page.goto('/quan-ly/htx-nong-nghiep-dien');
      await page.getByTestId('tab-nhap-csv').click();

      // The crate's row names the product differently: reported, nothing saved.
      await page.getByTestId('csv-file').setInputFiles(csvFile(bottle, crate.replace(',Bưởi Diễn,thuc-pham,thùng', ',Bưởi Diễn - thùng,thuc-pham,thùng')));
      await page.getByTestId('csv-dry-run').click();
      const rows = page.getByTestId('import-error-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 1);
      const cells = await rows.first().locator('td').allTextContents();
      assert.deepEqual(cells.slice(0, 2), ['3', 'name']);
      assert.match(cells[2], /khác với dòng 2, cùng sản phẩm “buoi-dien”/);

      await page.getByTestId('csv-file').setInputFiles(csvFile(bottle, crate));
      await page.getByTestId('csv-apply').click();
      await page.locator('[data-testid="import-report"][data-applied="true"]').waitFor();
      assert.equal(await text(page.getByTestId('import-packagings')), '2 dòng là các cách đóng gói của 1 sản phẩm.');

      await page.goto('/san-pham/buoi-dien');
      await page.getByTestId('packaging-option').filter({ hasText: 'thùng 10 kg' }).click();
      assert.equal(await text(page.getByTestId('product-price')), '400.000 ₫ / thùng 10 kg');
    });
  });

  for (const size of sizes) {
    test(`one card per product, "từ" only when packagings differ in price (${size.tag})`, async (t) => {
      const page = await browser.newPage(size.options);
      await withScreenshot(t, page, async () => {
        await page.goto('/san-pham?province=an-giang&group=thuc-pham');
        await page.getByTestId('product-card').first().waitFor();
        const fish = page.locator('[data-testid="product-card"][data-slug="nuoc-mam-phu-quoc"]');
        assert.equal(await fish.count(), 1, 'the bottle and the box are one card');
        assert.equal(await page.locator('[data-testid="product-card"][data-slug^="nuoc-mam-phu-quoc-"]').count(), 0);
        assert.equal(await text(fish.getByTestId('product-price')), 'từ 150.000 ₫');

        // The cooperative's storefront too.
        await page.goto('/hop-tac-xa/htx-nuoc-mam-phu-quoc');
        const shelf = page.locator('[data-testid="product-card"][data-slug="nuoc-mam-phu-quoc"]');
        await shelf.waitFor();
        assert.equal(await text(shelf.getByTestId('product-price')), 'từ 150.000 ₫');

        await page.goto('/san-pham?province=ha-noi');
        const pomelo = page.locator('[data-testid="product-card"][data-slug="buoi-dien"]');
        await pomelo.waitFor();
        assert.equal(await text(pomelo.getByTestId('product-price')), '45.000 ₫');
        await noSidewaysScroll(page);
      });
    });

    test(`choosing a packaging changes price, unit, stock and tiers, and is what the cart gets (${size.tag})`, async (t) => {
      const page = await browser.newPage(size.options);
      await withScreenshot(t, page, async () => {
        await page.goto('/san-pham/nuoc-mam-phu-quoc');
        await page.locator('h1', { hasText: 'Nước mắm Phú Quốc' }).waitFor();
        const options = page.getByTestId('packaging-option');
        assert.equal(await options.count(), 2);
        assert.deepEqual(
          await options.evaluateAll((els) => els.map((e) => e.querySelector('.packaging-picker__unit')?.textContent)),
          ['chai', 'thùng 6 chai'],
        );

        // The bottle first.
        assert.equal(await text(page.getByTestId('product-price')), '150.000 ₫ / chai');
        assert.equal(await text(page.getByTestId('product-unit')), 'Quy cách: chai');
        assert.equal(await text(page.getByTestId('product-stock')), 'Còn 50 × chai');
        assert.match(await text(page.getByTestId('tier-prices')), /10 chai.*128\.000 ₫/);
        assert.match(await text(page.getByTestId('buy-price')), /150\.000 ₫\/chai/);

        // The box of six.
        await page.getByTestId('packaging-option').filter({ hasText: 'thùng 6 chai' }).click();
        await page.waitForURL((url) => url.searchParams.get('goi') === 'nuoc-mam-phu-quoc-thung-6-chai');
        assert.equal(await text(page.getByTestId('product-price')), '840.000 ₫ / thùng 6 chai');
        assert.equal(await text(page.getByTestId('product-unit')), 'Quy cách: thùng 6 chai');
        assert.equal(await text(page.getByTestId('product-stock')), 'Còn 500 × thùng 6 chai');
        const tiers = await text(page.getByTestId('tier-prices'));
        assert.match(tiers, /20 thùng 6 chai.*672\.000 ₫/);
        assert.doesNotMatch(tiers, /128\.000/, 'the tiers are the chosen packaging’s');
        assert.match(await text(page.getByTestId('buy-price')), /840\.000 ₫\/thùng 6 chai/);
        assert.equal(await page.getByTestId('packaging-option').nth(1).locator('input').isChecked(), true);
        await noSidewaysScroll(page);
        await screenshot(page, `packaging-product-${size.tag}`);

        // Into the cart goes the box.
        await page.getByTestId('buy-box').getByRole('button', { name: 'Thêm một' }).click();
        assert.match(await text(page.getByTestId('buy-total')), /1\.680\.000 ₫/);
        await page.getByTestId('add-to-cart').click();
        await page.getByTestId('added-to-cart').waitFor();
        await page.waitForFunction(() => document.querySelector('[data-testid="nav-cart-count"]')?.textContent === '2');
        const cart = await page.evaluate(async () => (await fetch('/api/v1/cart')).json());
        assert.deepEqual(
          cart.lines.map((l) => [l.sku, l.quantity]),
          [['nuoc-mam-phu-quoc-thung-6-chai', 2]],
        );

        // A shared link opens the packaging it names.
        const other = await browser.newPage(size.options);
        await other.goto('/san-pham/nuoc-mam-phu-quoc?goi=nuoc-mam-phu-quoc-thung-6-chai');
        await other.getByTestId('product-price').waitFor();
        assert.equal(await text(other.getByTestId('product-price')), '840.000 ₫ / thùng 6 chai');
        await other.close();
      });
    });
  }

  // Last: it changes the catalog the tests above read.
  test('the address of a product merged into another leads to that product, from the server and inside the app', async (t) => {
    const simHeader = header.split(',').slice(1).join(',');
    const wine = 'HTX Sim Phú Quốc,an-giang,Rượu sim Phú Quốc,do-uong,chai,150000,10,120000,500,3,,rượu sim,Rượu sim Phú Quốc do HTX Sim Phú Quốc sản xuất tại An Giang.';
    // A crate of twelve sold as a product of its own, as in the catalogs of before packagings…
    await server.run(['import', '-'], `${simHeader}\nruou-sim-thung-12,${wine.replace(',Rượu sim Phú Quốc,do-uong,chai,150000,', ',Rượu sim Phú Quốc - thùng 12 chai,do-uong,thùng 12 chai,1600000,')}\n`);
    // …then made a packaging of the product.
    const out = await server.run(['import', '-'], `${header}\nruou-sim-phu-quoc,ruou-sim-phu-quoc,${wine}\nruou-sim-phu-quoc,ruou-sim-thung-12,${wine.replace(',chai,150000,', ',thùng 12 chai,1600000,')}\n`);
    assert.match(out, /2 dòng: 0 mới, 2 cập nhật/);
    await server.run(['search', 'reindex']);

    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      // The server answers the old page with 301.
      await page.goto('/san-pham/ruou-sim-phu-quoc-thung-12-chai');
      await page.waitForURL('**/san-pham/ruou-sim-phu-quoc');
      await page.getByTestId('packaging-option').filter({ hasText: 'thùng 12 chai' }).waitFor();

      // A link inside the app (an old order's line) reaches it through the API's 301.
      await page.evaluate(() => {
        window.history.pushState({}, '', '/san-pham/ruou-sim-phu-quoc-thung-12-chai?goi=ruou-sim-thung-12');
        window.dispatchEvent(new PopStateEvent('popstate'));
      });
      await page.waitForURL((url) => url.pathname === '/san-pham/ruou-sim-phu-quoc' && url.searchParams.get('goi') === 'ruou-sim-thung-12');
      await page.getByTestId('product-price').filter({ hasText: '1.600.000' }).waitFor();
      assert.equal(await text(page.getByTestId('product-price')), '1.600.000 ₫ / thùng 12 chai');
    });
  });
});
