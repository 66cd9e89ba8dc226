// Deposits (đặt cọc) on quotes, with the demo data: a wholesaler posts a
// request; two cooperatives quote, each stating the deposit it accepts (a
// percent out of range first gets the server's field error); the
// wholesaler accepts both, paying only the deposits by bank transfer; the
// VietQR codes ask for the deposits; the first cooperative records the
// deposit's transfer, then the balance paid on delivery; the buyer's order
// shows the deposit, what is paid and what is left.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const diễn = { slug: 'htx-nong-nghiep-dien', name: 'HTX Nông nghiệp Diễn', manager: 'quanly@demo.htxmarket.vn', product: 'Bưởi Diễn' };
const châuĐốc = { slug: 'htx-mam-chau-doc', manager: 'quanly2@demo.htxmarket.vn', product: 'Mắm cá linh Châu Đốc' };
const wholesaler = 'daily@demo.htxmarket.vn';
const sizes = [
  { tag: 'desktop', options: {} },
  { tag: 'phone', options: phone },
];

function inDays(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

/** vnd reads "1.234.000 ₫" as 1234000. */
function vnd(text) {
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

/** quote fills and sends a cooperative's quote form on the request's page. */
async function quote(page, { product, quantity, price, deposit }) {
  const form = page.getByTestId('quote-form');
  await form.locator('select[name="product"]').selectOption({ label: product });
  await form.getByTestId('quote-variant').waitFor();
  await form.locator('input[name="quantity"]').fill(quantity);
  await form.locator('input[name="unit_price_vnd"]').fill(price);
  await form.locator('input[name="deposit_percent"]').fill(deposit);
  await form.getByRole('button', { name: 'Gửi báo giá' }).click();
  return form;
}

describe('deposits', () => {
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
    test(`quotes with deposits accepted, deposits paid by transfer, then the balance (${size.tag})`, async (t) => {
      const buyer = await browser.newPage(size.options);
      const first = await browser.newPage(size.options);
      const second = await browser.newPage(size.options);
      let page = buyer;
      const text = `Bưởi Diễn đặt cọc ${size.tag}`;
      await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
        // The wholesaler posts a request open to every cooperative.
        await signIn(buyer, wholesaler);
        await buyer.goto('/nguon-hang/yeu-cau-moi');
        const form = buyer.getByTestId('request-form');
        await form.waitFor();
        await buyer.locator('#rq-text').fill(text);
        await buyer.locator('#rq-quantity').fill('100');
        await buyer.locator('#rq-province').selectOption('ha-noi');
        await buyer.locator('#rq-to').fill(inDays(30));
        await form.getByRole('button', { name: 'Đăng yêu cầu' }).click();
        await buyer.waitForURL(/\/nguon-hang\/yeu-cau\//);
        const requestURL = new URL(buyer.url()).pathname;

        // The first cooperative quotes 30% deposit, after a percent out of range.
        page = first;
        await signIn(first, diễn.manager);
        await first.goto(requestURL);
        let q = await quote(first, { product: diễn.product, quantity: '10', price: '40.000', deposit: '5' });
        const percentError = q.locator('[id^="q-deposit-"][id$="-error"]');
        await percentError.waitFor();
        assert.match((await percentError.textContent()) ?? '', /10% đến 90%/);
        q = await quote(first, { product: diễn.product, quantity: '10', price: '40.000', deposit: '30' });
        await q.getByTestId('form-success').waitFor();
        assert.equal(await first.getByTestId('quote-deposit').first().textContent(), 'Đặt cọc 30%');

        // The second quotes 25%.
        page = second;
        await signIn(second, châuĐốc.manager);
        await second.goto(requestURL);
        q = await quote(second, { product: châuĐốc.product, quantity: '2', price: '80000', deposit: '25' });
        await q.getByTestId('form-success').waitFor();

        // The wholesaler compares both, with their deposits, and pays the deposits.
        page = buyer;
        await buyer.goto(requestURL);
        const accept = buyer.getByTestId('accept-form');
        await accept.waitFor();
        const deposits = (await accept.getByTestId('quote-deposit').allTextContents()).sort();
        assert.deepEqual(deposits, ['Đặt cọc 25%', 'Đặt cọc 30%']);
        for (const box of await accept.getByTestId('choose-quote').all()) await box.check();
        const pay = accept.getByTestId('accept-pay');
        assert.match((await pay.textContent()) ?? '', /Thanh toán đủ 560\.000\s₫/);
        // 30% of 400.000 ₫ and 25% of 160.000 ₫.
        assert.match((await pay.textContent()) ?? '', /Đặt cọc 160\.000\s₫, còn 400\.000\s₫ khi nhận hàng/);
        await accept.getByTestId('pay-deposit').check();
        await buyer.locator('#checkout-recipient').fill('Công ty TNHH Nông sản Sạch Miền Bắc');
        await buyer.locator('#checkout-phone').fill('0912345678');
        await buyer.locator('#checkout-commune').fill('Phường Ba Đình');
        await buyer.locator('#checkout-street').fill('1 Đội Cấn');
        await noSidewaysScroll(buyer);
        await screenshot(buyer, `deposit-accept-${size.tag}`);
        await accept.getByRole('button', { name: 'Chấp nhận và đặt hàng' }).click();
        await buyer.waitForURL(/\/don-hang\//);
        const order = buyer.getByTestId('order');
        await order.waitFor();
        assert.equal(vnd(await order.getByTestId('deposit-amount').textContent()), 160_000);
        assert.equal(vnd(await order.getByTestId('deposit-paid').textContent()), 0);
        assert.equal(vnd(await order.getByTestId('deposit-balance').textContent()), 400_000);

        // The VietQR codes ask for each deposit.
        const transfer = buyer.getByTestId('bank-transfer').filter({ hasText: diễn.name });
        await transfer.getByTestId('vietqr').waitFor();
        assert.equal(vnd(await transfer.getByTestId('transfer-amount').textContent()), 120_000);
        assert.match((await transfer.getByTestId('transfer-deposit').textContent()) ?? '', /còn 280\.000\s₫/);
        const number = await transfer.getAttribute('data-number');
        assert.ok(number);
        await noSidewaysScroll(buyer);
        await screenshot(buyer, `deposit-vietqr-${size.tag}`);

        // The first cooperative records the deposit's transfer…
        page = first;
        await first.goto(`/quan-ly/${diễn.slug}?muc=don-hang`);
        const card = first.locator(`[data-testid="coop-sub-order"][data-number="${number}"]`);
        await card.waitFor();
        assert.equal(vnd(await card.getByTestId('coop-order-deposit').textContent()), 120_000);
        await card.getByTestId('transfer-received-open').click();
        assert.equal(vnd(await card.getByLabel('Số tiền đã nhận (₫)').inputValue()), 120_000, 'prefilled with the deposit');
        await card.getByTestId('transfer-submit').click();
        const confirmed = first.locator(`[data-testid="coop-sub-order"][data-number="${number}"][data-status="confirmed"]`);
        await confirmed.waitFor();
        assert.equal(vnd(await confirmed.getByTestId('coop-order-balance').textContent()), 280_000);
        // The packing slip tells the courier what is left to collect.
        const slip = await confirmed.getByTestId('packing-slip-link').getAttribute('href');
        assert.ok(slip);
        await first.goto(slip);
        await first.getByTestId('packing-slip').waitFor();
        assert.match((await first.getByTestId('slip-collect').textContent()) ?? '', /^Thu khi giao hàng: 280\.000\s₫/);
        await noSidewaysScroll(first);
        await screenshot(first, `deposit-packing-slip-${size.tag}`);
        await first.goto(`/quan-ly/${diễn.slug}?muc=don-hang`);
        await confirmed.waitFor();
        // …then the balance, paid in cash on delivery.
        await confirmed.getByTestId('balance-received-open').click();
        await confirmed.getByTestId('balance-cash').check();
        assert.match((await confirmed.getByTestId('balance-submit').textContent()) ?? '', /280\.000\s₫/);
        await screenshot(first, `deposit-coop-balance-${size.tag}`);
        await confirmed.getByTestId('balance-submit').click();
        await confirmed.getByTestId('balance-received').waitFor({ state: 'detached' });
        assert.match((await confirmed.locator('.sub-order__money').textContent()) ?? '', /Đã nhận phần còn lại/);
        await noSidewaysScroll(first);

        // The buyer's order: 400.000 ₫ in, 120.000 ₫ left for the second cooperative.
        page = buyer;
        await buyer.reload();
        await order.waitFor();
        assert.equal(vnd(await order.getByTestId('deposit-paid').textContent()), 400_000);
        assert.equal(vnd(await order.getByTestId('deposit-balance').textContent()), 120_000);
        const done = order.locator(`[data-testid="sub-order"][data-coop="${diễn.slug}"]`);
        assert.match((await done.getByTestId('sub-order-deposit').textContent()) ?? '', /đã nhận phần còn lại/);
        await screenshot(buyer, `deposit-order-${size.tag}`);
      });
      await buyer.close();
      await first.close();
      await second.close();
    });
  }
});
