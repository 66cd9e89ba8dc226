// Traceability with the demo data (htxmarket seed): the manager of HTX Nông
// nghiệp Diễn creates a batch of Bưởi Diễn with its barcode, records
// harvest (with a photo from the "camera"), an inspection and packing on a
// phone, and a shopper opens the public trace page at the very address the
// batch's QR code carries (the GS1 Digital Link) on a phone and on a
// desktop: the product, the verified hash chain, the timeline and the photo,
// and none of the private phone number or cost. The label sheet prints the
// QR codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const coop = 'htx-nong-nghiep-dien';

// A 1×1 PNG, the photo the "camera" takes.
const photo = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('traceability', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {Awaited<ReturnType<typeof openBrowser>>} */
  let browser;
  /** @type {import('playwright-core').Cookie[]} */
  let managerCookies;
  /** Set by the first test: the batch page's path and the QR code's address. */
  let batchPage = '';
  let qrLink = '';
  let code = '';

  before(async () => {
    server = await startServer({ seed: true });
    browser = await openBrowser({ baseURL: server.baseURL });
    const page = await browser.newPage();
    await signIn(page, 'quanly@demo.htxmarket.vn');
    await page.getByTestId('nav-manage').waitFor();
    managerCookies = await page.context().cookies();
    await page.context().close();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function managerPage(options = {}) {
    const page = await browser.newPage(options);
    await page.context().addCookies(managerCookies);
    return page;
  }

  test('the manager creates a batch on a desktop', async (t) => {
    const page = await managerPage();
    await withScreenshot(t, page, async () => {
      await page.goto(`/quan-ly/${coop}?muc=lo-hang`);
      // The demo data's batch is listed.
      await page.getByTestId('batch-item').first().waitFor();
      assert.match(await page.getByTestId('batch-list').innerText(), /Bưởi Diễn/);
      await page.getByTestId('new-batch').click();
      const form = page.getByTestId('new-batch-form');
      await form.locator('#batch-product option', { hasText: 'Bưởi Diễn' }).first().waitFor({ state: 'attached' });
      await form.locator('#batch-product').selectOption({ label: 'Bưởi Diễn' });
      await form.locator('#batch-quantity').fill('800');
      await form.locator('#batch-gtin').fill('8938505974019');
      await form.locator('#batch-area').fill('Vườn bưởi xóm Đông');
      await form.locator('#batch-commune').fill('Xã Tây Tựu');
      await form.locator('#batch-lat').fill('21,0712');
      await form.locator('#batch-lng').fill('105.7436');
      await form.locator('#batch-input-name').fill('Phân hữu cơ vi sinh');
      await form.locator('#batch-input-amount').fill('300 kg');
      await form.locator('#batch-input-cost').fill('4.700.000');
      await form.getByTestId('add-input').click();
      await form.locator('#batch-input-kind-1').selectOption('treatment');
      await form.locator('#batch-input-name-1').fill('Chế phẩm Trichoderma');
      await form.locator('#batch-cert-name').fill('VietGAP');
      await form.locator('#batch-cert-number').fill('VG-2025-0117');
      await form.getByTestId('cert-doc').setInputFiles({ name: 'giay-chung-nhan.png', mimeType: 'image/png', buffer: photo });
      await form.locator('.photo-picker__list img').waitFor();

      // A wrong check digit is refused in Vietnamese, next to the field.
      await form.locator('#batch-gtin').fill('8938505974015');
      await form.getByRole('button', { name: 'Tạo lô hàng' }).click();
      await form.getByTestId('gtin-error').waitFor();
      assert.match(await form.getByTestId('gtin-error').innerText(), /GTIN/);
      await form.locator('#batch-gtin').fill('8938505974019');
      await form.getByRole('button', { name: 'Tạo lô hàng' }).click();

      await page.getByTestId('batch-page').waitFor();
      code = (await page.getByTestId('batch-page').getAttribute('data-code')) ?? '';
      assert.match(code, /^[2-9A-HJKMNP-TV-Z]{8}$/);
      batchPage = new URL(page.url()).pathname;
      qrLink = (await page.getByTestId('trace-link').getAttribute('data-url')) ?? '';
      assert.equal(qrLink, `${server.baseURL}/01/08938505974019/10/${code}`);
      await page.getByTestId('batch-verify').waitFor();
      assert.equal(await page.getByTestId('batch-verify').getAttribute('data-valid'), 'true');
      // The QR code image is served.
      const qr = await page.request.get(await page.getByTestId('batch-qr').getAttribute('src') ?? '');
      assert.equal(qr.status(), 200);
      assert.match(await qr.text(), /^<svg/);
      await screenshot(page, 'trace-batch-desktop');
    });
  });

  test('the manager records events from a phone in the field', async (t) => {
    assert.ok(batchPage, 'the batch was created');
    const page = await managerPage(phone);
    await withScreenshot(t, page, async () => {
      await page.goto(batchPage);
      const form = page.getByTestId('event-form');

      // Harvest, with a photo from the camera.
      await form.getByText('Thu hoạch', { exact: true }).click();
      await form.locator('#event-notes').fill('Hái bưởi chín, loại quả 1,2–1,5 kg');
      await form.getByTestId('event-photo').setInputFiles({ name: 'anh.png', mimeType: 'image/png', buffer: photo });
      await form.getByTestId('event-photos').locator('img').waitFor();
      await form.getByRole('button', { name: 'Ghi sự kiện' }).click();
      await page.getByTestId('timeline-event').first().waitFor();

      // An inspection needs its result.
      await form.getByText('Kiểm tra', { exact: true }).click();
      await form.locator('#event-inspector').fill('Chi cục Quản lý chất lượng Hà Nội');
      await form.locator('#event-result').selectOption('passed');
      await form.getByRole('button', { name: 'Ghi sự kiện' }).click();
      await page.getByTestId('timeline-event').nth(1).waitFor();

      // Packing, with the packer's phone and the cost: private.
      await form.getByText('Đóng gói', { exact: true }).click();
      await form.locator('summary').click();
      await form.locator('#event-actor').fill('Tổ đóng gói số 1');
      await form.locator('#event-phone').fill('0912345678');
      await form.locator('#event-cost').fill('1.250.000');
      await form.getByRole('button', { name: 'Ghi sự kiện' }).click();
      await page.getByTestId('timeline-event').nth(2).waitFor();
      assert.equal(await page.getByTestId('timeline-event').count(), 3);
      await page.locator('[data-testid="batch-verify"][data-valid="true"]').waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'trace-events-phone');
    });
  });

  for (const [size, options] of [
    ['phone', phone],
    ['desktop', {}],
  ]) {
    test(`a shopper opens the QR link on a ${size}`, async (t) => {
      assert.ok(qrLink, 'the batch was created');
      const page = await browser.newPage(options);
      await withScreenshot(t, page, async () => {
        const res = await page.goto(qrLink);
        assert.equal(res?.status(), 200);
        await page.locator('h1', { hasText: 'Bưởi Diễn' }).waitFor();
        assert.equal(await page.locator('[data-verify="ok"]').count(), 1);
        assert.equal(await page.locator('ol.tl > li').count(), 3);
        const text = await page.locator('body').innerText();
        for (const want of [code, 'HTX Nông nghiệp Diễn', 'Thu hoạch', 'Kiểm tra', 'Đạt', 'Đóng gói', 'VietGAP', 'Tổ đóng gói số 1', 'Vườn bưởi xóm Đông', 'Chế phẩm Trichoderma']) {
          assert.ok(text.includes(want), `the trace page shows ${want}`);
        }
        for (const secret of ['0912345678', '091 234 5678', '1.250.000', '4.700.000']) {
          assert.ok(!text.includes(secret), `the trace page hides ${secret}`);
        }
        assert.ok(!(await page.content()).includes('0912345678'), 'the HTML hides the phone number');
        // The photo and the map.
        assert.equal(await page.locator('ol.tl img').count(), 1);
        assert.ok(await page.locator('ol.tl img').evaluate((img) => img.complete && img.naturalWidth > 0));
        assert.equal(await page.locator('svg.map').count(), 1);
        assert.equal(await page.getByRole('link', { name: 'xem giấy chứng nhận' }).count(), 1);
        const og = await page.locator('meta[property="og:title"]').getAttribute('content');
        assert.match(og ?? '', /Bưởi Diễn/);
        if (size === 'phone') await noSidewaysScroll(page);
        await screenshot(page, `trace-page-${size}`);
      });
    });
  }

  test('packing picks the batch of each line, and the buyer follows it to the trace', async (t) => {
    assert.ok(code, 'the batch was created');
    const buyer = await browser.newPage(phone);
    await withScreenshot(t, buyer, async () => {
      // The buyer orders Bưởi Diễn, cash on delivery (through the API: the
      // checkout itself has its own browser test).
      await signIn(buyer, 'nguoimua@demo.htxmarket.vn');
      const csrf = (await buyer.context().cookies()).find((c) => c.name === 'htx_csrf')?.value ?? '';
      const headers = { 'X-CSRF-Token': csrf, Origin: server.baseURL };
      const product = await (await buyer.request.get('/api/v1/products/buoi-dien')).json();
      const add = await buyer.request.post('/api/v1/cart/items', { headers, data: { variant_id: product.variants[0].id, quantity: 2 } });
      assert.equal(add.status(), 201);
      const placed = await buyer.request.post('/api/v1/checkout', {
        headers: { ...headers, 'Idempotency-Key': `trace-e2e-${Date.now()}` },
        data: {
          payment_method: 'cod',
          shipping_address: { recipient: 'Nguyễn Thu Hà', phone: '0901234567', province: 'ha-noi', commune: 'Phường Hoàn Kiếm', street: '1 Tràng Tiền' },
        },
      });
      assert.equal(placed.status(), 201, await placed.text());
      const order = await placed.json();

      // The manager packs it and picks the batch.
      const manager = await managerPage();
      await manager.goto(`/quan-ly/${coop}?muc=don-hang`);
      const card = manager.locator(`[data-testid="coop-sub-order"][data-number="${order.sub_orders[0].number}"]`);
      const picker = card.getByTestId('line-batches');
      await picker.waitFor();
      await picker.getByTestId('line-batch-select').first().selectOption(batchPage.split('/').pop() ?? '');
      await picker.getByTestId('line-batches-save').click();
      await picker.getByText(`Xem truy xuất lô ${code}`).waitFor();
      await screenshot(manager, 'trace-packing-pick');

      // The buyer's order page links the line to its trace.
      await buyer.goto(`/don-hang/${order.id}`);
      const link = buyer.getByTestId('line-trace-link');
      await link.waitFor();
      assert.match(await link.innerText(), new RegExp(`Bưởi Diễn.*${code}`));
      await link.click();
      await buyer.locator('[data-verify="ok"]').waitFor();
      assert.equal(new URL(buyer.url()).pathname, `/01/08938505974019/10/${code}`);
    });
  });

  test('the label sheet prints the QR codes', async (t) => {
    assert.ok(batchPage, 'the batch was created');
    const page = await managerPage();
    await withScreenshot(t, page, async () => {
      await page.goto(batchPage);
      await page.getByTestId('labels-link').click();
      await page.getByTestId('label-sheet').waitFor();
      assert.equal(await page.getByTestId('label').count(), 12);
      await page.getByTestId('label-count').selectOption('24');
      assert.equal(await page.getByTestId('label').count(), 24);
      assert.ok(await page.getByTestId('label').first().locator('img').evaluate((img) => img.complete && img.naturalWidth > 0));
      // The scan count went up with the shoppers' visits.
      await page.goto(batchPage);
      await page.getByTestId('batch-scans').waitFor();
      assert.ok(Number(await page.getByTestId('batch-scans').innerText()) >= 2);
      await page.goto(batchPage + '/tem');
      await page.getByTestId('label-sheet').waitFor();
      await screenshot(page, 'trace-labels');
    });
  });
});
