// Paying for orders, on a desktop and on a phone. The manager of HTX Nông
// nghiệp Diễn sets its bank account in the dashboard's "Thanh toán" tab; a
// guest buys its pomelos with a VietQR bank transfer and gets, right on
// the confirmation page, the QR code, the bank, account, amount and the
// transfer's content (copied to the clipboard) and a countdown to the
// deadline. The manager records the transfer on the "Đơn hàng" tab (a
// short amount first, flagged "Thiếu tiền", sent twice after a lost answer
// with one Idempotency-Key, then the rest); the guest's page turns "Đã xác
// nhận" by itself, and the ledger shows the direct sale and the commission
// receivable. Also: card payment on a server without Stripe says so
// calmly, the countdown says when the deadline passed, and trade staff
// recording a payout see the server's refusals.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const diễn = {
  slug: 'htx-nong-nghiep-dien',
  manager: 'quanly@demo.htxmarket.vn',
  product: 'buoi-dien',
};
const châuĐốc = { slug: 'htx-mam-chau-doc', product: 'mam-ca-linh-chau-doc' };

/** The account the manager sets (the seed's is at Vietcombank). */
const account = { bin: '970407', bank: 'Techcombank', typed: '1903 6688 9900 11', number: '19036688990011', holder: 'HTX NONG NGHIEP DIEN' };

const clipboard = { permissions: ['clipboard-read', 'clipboard-write'] };
const sizes = [
  { tag: 'vi', options: clipboard },
  { tag: 'vi-mobile', options: { ...phone, ...clipboard } },
];

/** vnd reads "150.000 ₫" as 150000. */
const vnd = (text) => Number((text ?? '').replace(/\D/g, ''));
/** grouped writes 150000 as "150.000", as the amount field is prefilled. */
const grouped = (n) => new Intl.NumberFormat('vi-VN').format(n);

/** ledgerOf opens the cooperative's "Thanh toán" tab and reads its balances. */
async function ledgerOf(page, slug) {
  await page.goto(`/quan-ly/${slug}?muc=thanh-toan`);
  await page.getByTestId('ledger').waitFor();
  const amount = async (k) => Number(await page.getByTestId(`ledger-${k}`).getAttribute('data-amount'));
  return {
    directSales: await amount('direct_sales_vnd'),
    receivable: await amount('receivable_vnd'),
    commission: await amount('commission_vnd'),
  };
}

/** buy puts one unit of a product in a fresh guest's cart and checks out with the given way to pay. */
async function buy(page, product, method) {
  await page.goto(`/san-pham/${product}`);
  await page.getByTestId('buy-now').click();
  await page.waitForURL('**/gio-hang');
  await page.getByTestId('to-checkout').click();
  const form = page.getByTestId('checkout-form');
  await form.waitFor();
  await page.getByLabel('Họ tên người nhận').fill('Phạm Minh Châu');
  await page.getByLabel('Số điện thoại').fill('0903123456');
  await page.getByLabel('Tỉnh, thành phố').selectOption('ha-noi');
  await page.getByLabel('Xã, phường, đặc khu').fill('Phường Ba Đình');
  await page.getByLabel('Số nhà, đường, thôn, ấp').fill('8 Phan Đình Phùng');
  await page.getByLabel(method).check();
  await page.waitForFunction(() => document.querySelector('[data-testid="checkout-summary"]')?.getAttribute('aria-busy') === 'false');
  await form.getByRole('button', { name: 'Đặt hàng' }).click();
  await page.waitForURL('**/don-hang/*');
  return ((await page.getByTestId('order-number').textContent()) ?? '').trim();
}

describe('payments', () => {
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

  test('the manager sets the bank account in the Thanh toán tab', async (t) => {
    const manager = await browser.newPage();
    await withScreenshot(t, manager, async () => {
      await signIn(manager, diễn.manager);
      await manager.goto(`/quan-ly/${diễn.slug}`);
      await manager.getByTestId('tab-thanh-toan').click();
      const form = manager.getByTestId('bank-account-form');
      await form.waitFor();
      // The seed's account, at Vietcombank.
      assert.equal(await form.getByLabel('Ngân hàng').inputValue(), '970436');
      assert.equal(await manager.getByTestId('payout-form').count(), 0, 'members record no payouts');

      // The server's error lands beside its field.
      await form.getByLabel('Số tài khoản').fill('1903-ABĐ');
      await form.getByRole('button', { name: 'Lưu tài khoản' }).click();
      await manager.getByTestId('account_number-error').waitFor();

      await form.getByLabel('Ngân hàng').selectOption(account.bin);
      await form.getByLabel('Số tài khoản').fill(account.typed);
      await form.getByLabel('Chủ tài khoản').fill('Htx Nông nghiệp Diễn');
      await form.getByRole('button', { name: 'Lưu tài khoản' }).click();
      await manager.getByTestId('form-success').filter({ hasText: 'Đã lưu tài khoản ngân hàng.' }).waitFor();
      assert.equal(await form.getByLabel('Số tài khoản').inputValue(), account.number);
      assert.equal(await form.getByLabel('Chủ tài khoản').inputValue(), account.holder, 'the server writes the holder as banks do');

      // The ledger and this month's statement.
      await manager.getByTestId('ledger-payable_vnd').waitFor();
      const link = manager.getByTestId('statement-link');
      const href = (await link.getAttribute('href')) ?? '';
      assert.match(href, /^\/api\/v1\/cooperatives\/htx-nong-nghiep-dien\/statement\.csv\?from=\d{4}-\d\d-01&to=\d{4}-\d\d-\d\d$/);
      const csv = await manager.request.get(href);
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/);
      await manager.getByLabel('Đến ngày').fill('2020-01-01');
      await manager.getByTestId('statement-problem').waitFor();
      assert.equal(await link.count(), 0);
      await noSidewaysScroll(manager);
      await screenshot(manager, 'payments-bank-account-vi');
    });
    await manager.context().close();
  });

  for (const size of sizes) {
    test(`a guest pays by VietQR; the manager records the transfer; the order confirms itself (${size.tag})`, async (t) => {
      const manager = await browser.newPage(size.options);
      const guest = await browser.newPage(size.options);
      let page = manager;
      await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
        await signIn(manager, diễn.manager);
        const before = await ledgerOf(manager, diễn.slug);

        // 1. The guest checks out with a bank transfer: the confirmation is the payment screen.
        page = guest;
        const number = await buy(guest, diễn.product, 'Chuyển khoản VietQR');
        await guest.getByTestId('order-placed').waitFor();
        const pay = guest.getByTestId('bank-payment');
        await pay.waitFor();
        assert.equal(await guest.getByTestId('payment-waiting').count(), 0, 'the countdown says it instead');
        const transfer = pay.getByTestId('bank-transfer');
        await transfer.first().waitFor(); // the transfers load after the payment box
        assert.equal(await transfer.count(), 1);
        const qr = transfer.getByTestId('vietqr');
        await qr.waitFor();
        await guest.waitForFunction(() => (document.querySelector('[data-testid="vietqr"]')?.naturalWidth ?? 0) > 0);
        const box = await qr.boundingBox();
        assert.ok(box && box.width >= 240 && box.width <= (size.options.viewport?.width ?? 1280), `QR code ${box?.width}px wide`);
        assert.equal(await transfer.getByTestId('transfer-bank').textContent(), account.bank);
        assert.equal(await transfer.getByTestId('transfer-account').textContent(), account.number);
        assert.equal(await transfer.getByTestId('transfer-holder').textContent(), account.holder);
        const amountText = (await transfer.getByTestId('transfer-amount').textContent()) ?? '';
        assert.match(amountText, /^[\d.]+\s₫$/);
        const amount = vnd(amountText);
        assert.equal(amount, vnd(await guest.getByTestId('sub-order').locator('.sub-order__money dd').last().textContent()));
        const content = `HTX ${number}-1`;
        assert.equal(await transfer.getByTestId('transfer-content').textContent(), content);
        await transfer.getByTestId('copy-content').click();
        await transfer.getByTestId('copy-content').filter({ hasText: 'Đã sao chép' }).waitFor();
        assert.equal(await guest.evaluate(() => navigator.clipboard.readText()), content);

        // The countdown ticks from 24 hours.
        const countdown = guest.getByTestId('payment-countdown');
        const first = (await countdown.textContent()) ?? '';
        assert.match(first, /^Còn 2[34]:\d\d:\d\d để chuyển khoản$/);
        await guest.waitForFunction((was) => document.querySelector('[data-testid="payment-countdown"]')?.textContent !== was, first);
        await noSidewaysScroll(guest);
        await screenshot(guest, `payments-vietqr-${size.tag}`);

        // 2. The manager finds it awaiting the transfer on the Đơn hàng tab.
        page = manager;
        await manager.goto(`/quan-ly/${diễn.slug}?muc=don-hang`);
        const card = manager.locator(`[data-testid="coop-sub-order"][data-number="${number}-1"]`);
        await card.waitFor();
        assert.equal(await card.getAttribute('data-status'), 'pending_payment');
        await card.getByTestId('transfer-received-open').click();
        const field = card.getByLabel('Số tiền đã nhận (₫)');
        assert.equal(await field.inputValue(), grouped(amount), 'prefilled with what is due');

        let paid = 0;
        if (size.tag === 'vi') {
          // A short transfer, whose answer is lost: the retry carries the
          // same Idempotency-Key and the server records it once.
          const keys = [];
          await manager.route('**/api/v1/sub-orders/*/transfers', async (route) => {
            keys.push(route.request().headers()['idempotency-key']);
            if (keys.length === 1) {
              const response = await route.fetch();
              assert.equal(response.status(), 200);
              await route.abort('aborted');
            } else {
              await route.continue();
            }
          });
          await field.fill('50.000');
          await card.getByTestId('transfer-submit').click();
          await card.getByTestId('transfer-error').filter({ hasText: 'Không kết nối được máy chủ' }).waitFor();
          await card.getByTestId('transfer-submit').click();
          const flag = card.getByTestId('payment-flag');
          await flag.waitFor();
          await manager.unroute('**/api/v1/sub-orders/*/transfers');
          assert.equal(keys.length, 2);
          assert.ok(keys[0] && keys[0] === keys[1], `keys: ${keys}`);
          const flagText = (await flag.textContent()) ?? '';
          assert.ok(flagText.startsWith('Thiếu tiền'), flagText);
          assert.match(flagText, /Đã nhận 50\.000\s₫ \//, 'recorded once');
          assert.equal(await card.getAttribute('data-status'), 'pending_payment');
          paid = 50_000;
          await card.getByTestId('transfer-received-open').click();
          assert.equal(await field.inputValue(), grouped(amount - paid), 'prefilled with the rest');
        }
        await card.getByTestId('transfer-submit').click();
        const confirmed = manager.locator(`[data-testid="coop-sub-order"][data-number="${number}-1"][data-status="confirmed"]`);
        await confirmed.waitFor();
        assert.equal(await confirmed.getByTestId('payment-flag').count(), 0);
        assert.equal(await confirmed.getByTestId('transfer-received').count(), 0);
        await confirmed.getByTestId('coop-move-packed').waitFor();
        await noSidewaysScroll(manager);
        await screenshot(manager, `payments-coop-transfer-${size.tag}`);

        // 3. The guest's page, never reloaded, turns "Đã xác nhận" by itself.
        page = guest;
        await guest
          .locator('[data-testid="sub-order"][data-status="confirmed"]')
          .waitFor({ timeout: 25_000 });
        assert.equal(await guest.getByTestId('sub-order-status').textContent(), 'Đã xác nhận');
        await pay.waitFor({ state: 'detached' });
        assert.match((await guest.getByTestId('order-payment').textContent()) ?? '', /Đã thanh toán/);
        await screenshot(guest, `payments-vietqr-paid-${size.tag}`);

        // 4. The ledger: a direct sale, and its commission receivable.
        page = manager;
        const after = await ledgerOf(manager, diễn.slug);
        assert.equal(after.directSales - before.directSales, amount);
        const commission = Math.floor((amount * 500 + 5_000) / 10_000); // 5 %, rounded
        assert.equal(after.receivable - before.receivable, commission);
        assert.equal(after.commission - before.commission, commission);
        await noSidewaysScroll(manager);
        await screenshot(manager, `payments-ledger-${size.tag}`);
      });
      await manager.context().close();
      await guest.context().close();
    });
  }

  test('card payment on a server without Stripe says so calmly', async (t) => {
    const guest = await browser.newPage();
    await withScreenshot(t, guest, async () => {
      await buy(guest, diễn.product, 'Thẻ ngân hàng, thẻ quốc tế');
      const section = guest.getByTestId('card-payment');
      await section.getByRole('heading', { name: 'Thanh toán bằng thẻ' }).waitFor();
      const off = section.getByTestId('cards-off');
      await off.waitFor();
      assert.match((await off.textContent()) ?? '', /Thanh toán bằng thẻ chưa được bật trên máy chủ này/i);
      assert.equal(await guest.locator('script[src^="https://js.stripe.com"]').count(), 0, 'Stripe.js is loaded only for a card payment');
      await guest.getByTestId('payment-waiting').waitFor();
      await screenshot(guest, 'payments-cards-off-vi');
    });
    await guest.context().close();
  });

  test("the seed's second cooperative takes transfers; the countdown says when the deadline passed", async (t) => {
    const guest = await browser.newPage(phone);
    await withScreenshot(t, guest, async () => {
      await guest.clock.install();
      await buy(guest, châuĐốc.product, 'Chuyển khoản VietQR');
      const transfer = guest.getByTestId('bank-transfer');
      await transfer.getByTestId('vietqr').waitFor();
      assert.equal(await transfer.getByTestId('transfer-bank').textContent(), 'Agribank');
      await guest.clock.fastForward('24:00:05');
      await guest.getByTestId('payment-countdown').filter({ hasText: 'Đã quá hạn thanh toán, đơn sẽ bị hủy' }).waitFor();
      await noSidewaysScroll(guest);
      await screenshot(guest, 'payments-vietqr-expired-vi-mobile');
    });
    await guest.context().close();
  });

  test('trade staff of the province record payouts and see the server refuse too much', async (t) => {
    const staff = await browser.newPage();
    await withScreenshot(t, staff, async () => {
      await signIn(staff, 'xuctien.hanoi@demo.htxmarket.vn');
      await staff.goto(`/quan-ly/${diễn.slug}?muc=thanh-toan`);
      await staff.getByTestId('ledger').waitFor();
      assert.equal(await staff.getByTestId('bank-account').count(), 0, 'the account is for members');
      const form = staff.getByTestId('payout-form');
      await form.getByLabel('Số tiền chi trả (₫)').fill('50.000');
      await form.getByLabel('Mã giao dịch ngân hàng').fill('FT26150012345');
      await form.getByLabel('Ngày chi trả').fill('2099-01-01');
      await form.getByRole('button', { name: 'Ghi nhận chi trả' }).click();
      await staff.getByTestId('paid_on-error').filter({ hasText: 'tương lai' }).waitFor();
      // Bank transfers were paid to the cooperative itself: the platform owes it nothing.
      await form.getByLabel('Ngày chi trả').fill(new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10));
      await form.getByRole('button', { name: 'Ghi nhận chi trả' }).click();
      await staff.getByTestId('form-error').filter({ hasText: 'vượt quá số dư phải trả' }).waitFor();
      await noSidewaysScroll(staff);
      await screenshot(staff, 'payments-payout-vi');
    });
    await staff.context().close();
  });
});
