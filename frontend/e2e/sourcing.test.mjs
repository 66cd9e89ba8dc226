// Supply-demand matching with the demo data, on a desktop and on a phone:
// a cooperative's manager posts an offer of Bưởi Diễn from the dashboard's
// "Nguồn hàng" tab; the demo wholesaler starts a request from the product's
// "Yêu cầu báo giá" button (the server's field error first), sees the offer
// among the matches with its score breakdown; the first cooperative quotes
// from its inbox, the second from the public board's request page; the
// wholesaler accepts both quotes into one order paid by bank transfer, with
// a sub-order per cooperative.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const diễn = { slug: 'htx-nong-nghiep-dien', manager: 'quanly@demo.htxmarket.vn', product: 'Bưởi Diễn' };
const châuĐốc = { slug: 'htx-mam-chau-doc', manager: 'quanly2@demo.htxmarket.vn', product: 'Mắm cá linh Châu Đốc' };
const wholesaler = 'daily@demo.htxmarket.vn';

const sizes = [
  { tag: 'desktop', n: 1, options: {} },
  { tag: 'phone', n: 2, options: phone },
];

function inDays(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('sourcing', () => {
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
    test(`a wholesaler's request, two cooperatives' quotes, both accepted (${size.tag})`, async (t) => {
      const buyer = await browser.newPage(size.options);
      const first = await browser.newPage(size.options);
      const second = await browser.newPage(size.options);
      let page = first;
      const text = `Bưởi Diễn ${size.n}`;
      await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
        // The first cooperative offers Bưởi Diễn all year round.
        await signIn(first, diễn.manager);
        await first.goto(`/quan-ly/${diễn.slug}?muc=nguon-hang`);
        await first.getByTestId('offers-tab').click();
        const offer = first.getByTestId('offer-form');
        await offer.locator('select[name="product_id"]').selectOption({ label: diễn.product });
        await offer.locator('input[name="quantity"]').fill('2');
        await offer.locator('select[name="unit"]').selectOption('tấn');
        await offer.locator('input[name="min_quantity"]').fill('0,05');
        await offer.locator('input[name="unit_price_vnd"]').fill('36.000.000');
        await offer.getByRole('button', { name: 'Đăng nguồn hàng' }).click();
        await offer.getByTestId('form-success').waitFor();
        await first.getByTestId('offer').filter({ hasText: '36.000.000' }).first().waitFor();
        await noSidewaysScroll(first);
        await screenshot(first, `sourcing-offers-${size.tag}`);

        // The wholesaler asks for a quote from the product page.
        page = buyer;
        await signIn(buyer, wholesaler);
        await buyer.goto('/san-pham/buoi-dien');
        await buyer.getByTestId('ask-quote').click();
        const form = buyer.getByTestId('request-form');
        await form.waitFor();
        assert.equal(await buyer.locator('#rq-text').inputValue(), diễn.product);
        assert.match((await form.getByTestId('invited').textContent()) ?? '', new RegExp(diễn.slug));
        await form.getByRole('button', { name: 'Gửi cho mọi hợp tác xã' }).click();
        await buyer.locator('#rq-text').fill(text);
        await buyer.locator('#rq-quantity').fill('-5');
        await buyer.locator('#rq-province').selectOption('ha-noi');
        await buyer.locator('#rq-to').fill(inDays(30));
        await form.getByRole('button', { name: 'Đăng yêu cầu' }).click();
        await form.getByTestId('quantity-error').waitFor();
        await buyer.locator('#rq-quantity').fill('100');
        await form.getByRole('button', { name: 'Đăng yêu cầu' }).click();
        await buyer.waitForURL(/\/nguon-hang\/yeu-cau\//);
        const requestURL = new URL(buyer.url()).pathname;
        assert.equal(await buyer.getByTestId('request-title').textContent(), text);
        // The offer is among the matches, explained term by term.
        const match = buyer.getByTestId('match').filter({ hasText: 'HTX Nông nghiệp Diễn' }).first();
        await match.waitFor();
        assert.equal(await match.getByTestId('breakdown').locator('tbody tr').count(), 6);
        await buyer.getByTestId('quotes-empty').waitFor();
        await noSidewaysScroll(buyer);
        await screenshot(buyer, `sourcing-matches-${size.tag}`);

        // The first cooperative quotes from its inbox.
        page = first;
        await first.goto(`/quan-ly/${diễn.slug}?muc=nguon-hang`);
        const item = first.getByTestId('inbox-item').filter({ hasText: text });
        await item.getByTestId('open-quote').click();
        const q1 = item.getByTestId('quote-form');
        await q1.locator('select[name="product"]').selectOption({ label: diễn.product });
        await q1.getByTestId('quote-variant').waitFor();
        await q1.locator('input[name="quantity"]').fill('10');
        await q1.locator('input[name="unit_price_vnd"]').fill('40.000');
        await q1.getByRole('button', { name: 'Gửi báo giá' }).click();
        await item.getByTestId('quote').waitFor();
        await noSidewaysScroll(first);
        await screenshot(first, `sourcing-inbox-${size.tag}`);

        // The second finds the request on the public board.
        page = second;
        await signIn(second, châuĐốc.manager);
        await second.goto('/nguon-hang');
        await second.getByTestId('request-row').filter({ hasText: text }).getByRole('link').click();
        const q2 = second.getByTestId('quote-form');
        await q2.locator('select[name="product"]').selectOption({ label: châuĐốc.product });
        await q2.getByTestId('quote-variant').waitFor();
        await q2.locator('input[name="quantity"]').fill('2');
        await q2.locator('input[name="unit_price_vnd"]').fill('80000');
        await q2.getByRole('button', { name: 'Gửi báo giá' }).click();
        await q2.getByTestId('form-success').waitFor();
        // A cooperative sees its own quote only.
        await second.getByTestId('quote').first().waitFor();
        assert.equal(await second.getByTestId('quote').count(), 1);
        assert.equal(await second.locator(`[data-testid="quote"][data-coop="${diễn.slug}"]`).count(), 0);

        // The wholesaler compares both quotes and accepts them.
        page = buyer;
        await buyer.goto(requestURL);
        const accept = buyer.getByTestId('accept-form');
        await accept.waitFor();
        assert.equal(await accept.getByTestId('quote').count(), 2);
        for (const box of await accept.getByTestId('choose-quote').all()) await box.check();
        assert.match((await accept.getByTestId('accept-total').textContent()) ?? '', /2 báo giá, tổng 560\.000\s₫/);
        await buyer.locator('#checkout-recipient').fill('Công ty TNHH Nông sản Sạch Miền Bắc');
        await buyer.locator('#checkout-phone').fill('0912345678');
        await buyer.locator('#checkout-commune').fill('Phường Ba Đình');
        await buyer.locator('#checkout-street').fill('1 Đội Cấn');
        await noSidewaysScroll(buyer);
        await screenshot(buyer, `sourcing-quotes-${size.tag}`);
        await accept.getByRole('button', { name: 'Chấp nhận và đặt hàng' }).click();
        await buyer.waitForURL(/\/don-hang\//);
        const order = buyer.getByTestId('order');
        await order.waitFor();
        assert.equal(await order.getByTestId('sub-order').count(), 2);
        await order.locator(`[data-testid="sub-order"][data-coop="${diễn.slug}"]`).waitFor();
        await order.locator(`[data-testid="sub-order"][data-coop="${châuĐốc.slug}"]`).waitFor();
        await screenshot(buyer, `sourcing-order-${size.tag}`);

        // The request now says a supplier was chosen.
        await buyer.goto(requestURL);
        assert.equal(await buyer.getByTestId('request-status').first().textContent(), 'Đã chọn nhà cung cấp');
      });
      await buyer.close();
      await first.close();
      await second.close();
    });
  }
});
