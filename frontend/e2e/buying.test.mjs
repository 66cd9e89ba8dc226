// Buying with the demo catalog, on a desktop and on a phone: a guest puts
// products of two cooperatives in the cart (the header counts them), sees
// the cart in two groups with their shipping fees, checks out with cash on
// delivery (the server's field errors first), and gets the order's number.
// Each cooperative's manager then finds only their own part of the order on
// the dashboard's "Đơn hàng" tab, packs it and hands it to a carrier with a
// tracking code; the guest's order page then says "Đang giao" for both, and
// the order can be looked up by number and phone from another browser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

/** The two cooperatives of the order, their managers and a product of each. */
const diễn = {
  slug: 'htx-nong-nghiep-dien',
  manager: 'quanly@demo.htxmarket.vn', // the seed's demo manager
  product: 'buoi-dien',
  productName: 'Bưởi Diễn',
};
const châuĐốc = {
  slug: 'htx-mam-chau-doc',
  manager: 'quanly2@demo.htxmarket.vn', // the seed's second demo manager
  product: 'mam-ca-linh-chau-doc',
  productName: 'Mắm cá linh Châu Đốc',
};

const buyer = { name: 'Trần Thị Hoa', phone: '0912345678', province: 'an-giang', commune: 'Phường Long Xuyên', street: '12 Lê Lợi' };

const sizes = [
  { tag: 'vi', options: {} },
  { tag: 'vi-mobile', options: phone },
];

describe('buying', () => {
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

  test('a signed-in buyer: fees set by the manager, the guest cart merged, one order despite a lost answer, card awaits payment', async (t) => {
    const manager = await browser.newPage();
    const buyerPage = await browser.newPage();
    let page = manager;
    await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
      // The manager sets the cooperative's shipping fees.
      await signIn(manager, diễn.manager);
      await manager.goto(`/quan-ly/${diễn.slug}?muc=phi-giao-hang`);
      const fees = manager.getByTestId('shipping-form');
      await fees.waitFor();
      await fees.getByLabel('Giao trong tỉnh (₫)').fill('15.000');
      await fees.getByLabel('Giao tỉnh khác (₫)').fill('30000');
      await fees.getByLabel('Miễn phí giao hàng cho đơn từ (₫)').fill('300.000');
      await fees.getByRole('button', { name: 'Lưu phí giao hàng' }).click();
      await manager.getByTestId('form-success').waitFor();
      await screenshot(manager, 'buying-shipping-fees-vi');

      // A guest's cart follows them when they sign in.
      page = buyerPage;
      await buyerPage.goto(`/san-pham/${diễn.product}`);
      await buyerPage.getByTestId('buy-box').getByRole('button', { name: 'Thêm một' }).click();
      await buyerPage.getByTestId('add-to-cart').click();
      await buyerPage.getByTestId('added-to-cart').waitFor();
      await signIn(buyerPage, 'nguoimua@demo.htxmarket.vn');
      await buyerPage.waitForFunction(() => document.querySelector('[data-testid="nav-cart-count"]')?.textContent === '2');
      await buyerPage.getByTestId('nav-cart').click();
      const group = buyerPage.getByTestId('cart-group');
      await group.waitFor();
      assert.match((await group.getByTestId('group-shipping').textContent()) ?? '', /^15\.000\s₫$/);
      assert.match((await group.getByTestId('group-free-over').textContent()) ?? '', /300\.000\s₫/);

      // Checkout by card; the first answer is lost on the way back, the retry
      // sends the same Idempotency-Key and gets the same order.
      await buyerPage.getByTestId('to-checkout').click();
      await buyerPage.getByTestId('checkout-form').waitFor();
      assert.equal(await buyerPage.getByLabel('Họ tên người nhận').inputValue(), 'Nguyễn Thu Hà');
      assert.equal(await buyerPage.getByLabel('Email nhận thông tin đơn hàng').count(), 0);
      await buyerPage.getByLabel('Số điện thoại').fill('0987654321');
      await buyerPage.getByLabel('Tỉnh, thành phố').selectOption('ha-noi');
      await buyerPage.getByLabel('Xã, phường, đặc khu').fill('Phường Hoàn Kiếm');
      await buyerPage.getByLabel('Số nhà, đường, thôn, ấp').fill('5 Hàng Bạc');
      await buyerPage.getByLabel('Thẻ ngân hàng, thẻ quốc tế').check();
      await buyerPage.getByText('Phí giao hàng đã tính theo tỉnh nhận hàng.').waitFor();

      const keys = [];
      await buyerPage.route('**/api/v1/checkout', async (route) => {
        keys.push(route.request().headers()['idempotency-key']);
        if (keys.length === 1) {
          const response = await route.fetch();
          assert.equal(response.status(), 201);
          await route.abort('aborted');
        } else {
          await route.continue();
        }
      });
      await buyerPage.getByRole('button', { name: 'Đặt hàng' }).click();
      await buyerPage.getByTestId('form-error').filter({ hasText: 'Không kết nối được máy chủ' }).waitFor();
      await buyerPage.getByRole('button', { name: 'Đặt hàng' }).click();
      await buyerPage.waitForURL('**/don-hang/*');
      assert.equal(keys.length, 2);
      assert.ok(keys[0] && keys[0] === keys[1], `keys: ${keys}`);
      await buyerPage.unroute('**/api/v1/checkout');

      const number = ((await buyerPage.getByTestId('order-number').textContent()) ?? '').trim();
      await buyerPage.getByTestId('payment-waiting').waitFor();
      assert.equal(await buyerPage.getByTestId('order-status').textContent(), 'Chờ thanh toán');
      assert.equal(await buyerPage.getByTestId('guest-note').count(), 0);

      // "Đơn hàng của tôi" lists it once.
      await buyerPage.getByTestId('nav-orders').click();
      await buyerPage.waitForURL('**/don-hang');
      await buyerPage.getByTestId('my-order').first().waitFor();
      assert.equal(await buyerPage.locator(`[data-testid="my-order"][data-number="${number}"]`).count(), 1);
      assert.equal(await buyerPage.getByTestId('my-order').count(), 1);
      await screenshot(buyerPage, 'buying-my-orders-vi');

      // The buyer cancels it, asked first.
      await buyerPage.locator(`[data-testid="my-order"][data-number="${number}"] a`).click();
      await buyerPage.getByTestId('move-cancelled').click();
      await buyerPage.getByTestId('confirm-cancel').click();
      await buyerPage.locator('[data-testid="sub-order"][data-status="cancelled"]').waitFor();
      assert.equal(await buyerPage.getByTestId('order-status').textContent(), 'Đã hủy');
    });
    await manager.context().close();
    await buyerPage.context().close();
  });

  for (const size of sizes) {
    test(`a guest orders from two cooperatives, both ship it (${size.tag})`, async (t) => {
      const guest = await browser.newPage(size.options);
      let page = guest;
      await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
        const count = guest.getByTestId('nav-cart-count');

        // 1. The product page: quantity, the wholesale hint, add to the cart.
        await guest.goto(`/san-pham/${diễn.product}`);
        const box = guest.getByTestId('buy-box');
        await box.waitFor();
        await guest.getByTestId('nav-cart').waitFor();
        assert.equal(await count.textContent(), '0');
        if (size.tag === 'vi') {
          // A sold-out product cannot be bought.
          await guest.goto('/san-pham/vai-thieu-thanh-ha');
          await guest.getByTestId('buy-soldout').waitFor();
          assert.ok(await guest.getByTestId('add-to-cart').isDisabled());
          assert.equal(await guest.getByTestId('buy-now').textContent(), 'Hết hàng');
          await guest.goto(`/san-pham/${diễn.product}`);
          await box.waitFor();
        }
        await box.getByRole('button', { name: 'Thêm một' }).click();
        await box.getByRole('button', { name: 'Thêm một' }).click();
        assert.equal(await guest.getByLabel('Số lượng (kg)').inputValue(), '3');
        assert.match((await guest.getByTestId('buy-tier-hint').textContent()) ?? '', /Mua thêm 17 kg để được giá 38\.000\s₫\/kg/);
        assert.match((await guest.getByTestId('buy-total').textContent()) ?? '', /135\.000\s₫/);
        await guest.getByTestId('add-to-cart').click();
        await guest.getByTestId('added-to-cart').waitFor();
        await guest.waitForFunction(() => document.querySelector('[data-testid="nav-cart-count"]')?.textContent === '3');
        await noSidewaysScroll(guest);
        await screenshot(guest, `buying-product-${size.tag}`);

        // "Mua ngay" on another cooperative's product adds it and opens the cart.
        await guest.goto(`/san-pham/${châuĐốc.product}`);
        await guest.getByTestId('buy-now').click();
        await guest.waitForURL('**/gio-hang');

        // 2. The cart: one group per cooperative, each with its shipping fee.
        const groups = guest.getByTestId('cart-group');
        await groups.first().waitFor();
        assert.equal(await groups.count(), 2);
        assert.deepEqual(
          (await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-coop')))).sort(),
          [diễn.slug, châuĐốc.slug].sort(),
        );
        for (const g of await groups.all()) {
          assert.match((await g.getByTestId('group-shipping').textContent()) ?? '', /\d\s₫|Miễn phí/);
          await g.getByTestId('group-free-over').waitFor();
        }
        await guest.waitForFunction(() => document.querySelector('[data-testid="nav-cart-count"]')?.textContent === '4');
        assert.match((await guest.getByTestId('line-next-tier').first().textContent()) ?? '', /Mua thêm/);
        // The quantity changes on the server, and the header follows.
        const mắm = groups.filter({ hasText: châuĐốc.productName }).getByTestId('cart-line');
        await mắm.getByRole('button', { name: 'Thêm một' }).click();
        await guest.waitForFunction(() => document.querySelector('[data-testid="nav-cart-count"]')?.textContent === '5');
        await mắm.getByRole('button', { name: 'Bớt một' }).click();
        await guest.waitForFunction(() => document.querySelector('[data-testid="nav-cart-count"]')?.textContent === '4');
        await guest.waitForFunction(() => !document.querySelector('[data-testid="cart-line"][aria-busy="true"]'));
        await noSidewaysScroll(guest);
        await screenshot(guest, `buying-cart-${size.tag}`);

        // 3. Checkout: the server's field errors land beside their fields.
        await guest.getByTestId('to-checkout').click();
        await guest.waitForURL('**/thanh-toan');
        const form = guest.getByTestId('checkout-form');
        await form.waitFor();
        await form.getByRole('button', { name: 'Đặt hàng' }).click();
        await guest.getByTestId('recipient-error').waitFor();
        await guest.getByTestId('phone-error').waitFor();
        assert.equal(await guest.getByLabel('Họ tên người nhận').getAttribute('aria-invalid'), 'true');

        await guest.getByLabel('Họ tên người nhận').fill(buyer.name);
        await guest.getByLabel('Số điện thoại').fill(buyer.phone);
        await guest.getByLabel('Tỉnh, thành phố').selectOption(buyer.province);
        await guest.getByLabel('Xã, phường, đặc khu').fill(buyer.commune);
        await guest.getByLabel('Số nhà, đường, thôn, ấp').fill(buyer.street);
        assert.ok(await guest.getByLabel('Thanh toán khi nhận hàng (COD)').isChecked(), 'COD is the default');
        // Shipping is recomputed for An Giang: Châu Đốc is at home there, Diễn ships from Hà Nội.
        await guest.getByText('Phí giao hàng đã tính theo tỉnh nhận hàng.').waitFor();
        await guest.waitForFunction(() => document.querySelector('[data-testid="checkout-summary"]')?.getAttribute('aria-busy') === 'false');
        assert.equal(await guest.getByTestId('summary-group').count(), 2);
        await noSidewaysScroll(guest);
        await screenshot(guest, `buying-checkout-${size.tag}`);

        await form.getByRole('button', { name: 'Đặt hàng' }).click();
        await guest.waitForURL('**/don-hang/*');

        // 4. The confirmation: the number to keep, both parts confirmed.
        await guest.getByTestId('order-placed').waitFor();
        const number = ((await guest.getByTestId('order-number').textContent()) ?? '').trim();
        assert.match(number, /^HTX[2-9A-HJKMNP-TV-Z]{8}$/);
        await guest.getByTestId('guest-note').filter({ hasText: number }).waitFor();
        const parts = guest.getByTestId('sub-order');
        assert.equal(await parts.count(), 2);
        assert.deepEqual(await guest.getByTestId('sub-order-status').allTextContents(), ['Đã xác nhận', 'Đã xác nhận']);
        await guest.waitForFunction(() => document.querySelector('[data-testid="nav-cart-count"]')?.textContent === '0');
        await noSidewaysScroll(guest);
        await screenshot(guest, `buying-confirmation-${size.tag}`);
        const orderURL = guest.url();

        // 5. Each manager sees only their own part, packs it and ships it.
        for (const [i, coop] of [diễn, châuĐốc].entries()) {
          const other = coop === diễn ? châuĐốc : diễn;
          const manager = await browser.newPage(size.options);
          page = manager;
          await signIn(manager, coop.manager);
          await manager.goto(`/quan-ly/${coop.slug}`);
          await manager.getByTestId('tab-don-hang').click();
          const mine = manager.locator(`[data-testid="coop-sub-order"][data-number^="${number}-"]`);
          await mine.waitFor();
          assert.equal(await mine.count(), 1, 'one part of the order per cooperative');
          const text = (await mine.textContent()) ?? '';
          assert.ok(text.includes(coop.productName), text);
          assert.ok(!text.includes(other.productName), `${coop.slug} sees ${other.productName}`);
          await mine.getByTestId('coop-order-address').filter({ hasText: buyer.name }).waitFor();
          assert.equal(await mine.getAttribute('data-status'), 'confirmed');

          await mine.getByTestId('coop-move-packed').click();
          await manager.locator(`[data-testid="coop-sub-order"][data-number^="${number}-"][data-status="packed"]`).waitFor();
          await mine.getByTestId('coop-move-shipped').click();
          await mine.getByLabel('Đơn vị vận chuyển').fill('Giao Hàng Nhanh (GHN)');
          await mine.getByLabel('Mã vận đơn').fill(`GHN${i}${size.tag.length}77`);
          await mine.getByTestId('ship-submit').click();
          const shipped = manager.locator(`[data-testid="coop-sub-order"][data-number^="${number}-"][data-status="shipped"]`);
          await shipped.waitFor();
          assert.equal(await shipped.getByTestId('coop-sub-order-status').textContent(), 'Đang giao');
          await noSidewaysScroll(manager);
          if (coop === diễn) {
            await screenshot(manager, `buying-coop-board-${size.tag}`);
            // The status filter finds it among the shipped ones.
            await manager.getByLabel('Trạng thái').selectOption('shipped');
            await manager.waitForURL((url) => url.searchParams.get('trang-thai') === 'shipped');
            await shipped.waitFor();
            // The packing slip: to whom, what, and what to collect.
            const slip = await shipped.getByTestId('packing-slip-link').getAttribute('href');
            assert.ok(slip);
            await manager.goto(slip);
            const sheet = manager.getByTestId('packing-slip');
            await sheet.filter({ hasText: buyer.name }).waitFor();
            assert.ok(((await sheet.textContent()) ?? '').includes(coop.productName));
            assert.match((await manager.getByTestId('slip-collect').textContent()) ?? '', /^Thu hộ: [\d.]+\s₫$/);
            await noSidewaysScroll(manager);
            await screenshot(manager, `buying-packing-slip-${size.tag}`);
          }
          await manager.context().close();
        }

        // 6. The guest's order page: both parts on their way, with the carrier.
        page = guest;
        await guest.goto(orderURL);
        await guest.getByTestId('order').waitFor();
        assert.deepEqual(await guest.getByTestId('sub-order-status').allTextContents(), ['Đang giao', 'Đang giao']);
        assert.equal(await guest.getByTestId('order-status').textContent(), 'Đang giao');
        assert.equal(await guest.getByTestId('sub-order-carrier').count(), 2);
        await guest.getByTestId('move-delivered').first().waitFor();
        await screenshot(guest, `buying-shipped-${size.tag}`);

        // 7. Another browser finds the order by its number and phone.
        const stranger = await browser.newPage(size.options);
        page = stranger;
        await stranger.goto('/');
        await stranger.getByTestId('footer-lookup').click();
        await stranger.waitForURL('**/tra-cuu-don-hang');
        await stranger.getByLabel('Mã đơn hàng').fill(number.toLowerCase());
        await stranger.getByLabel('Số điện thoại nhận hàng').fill(buyer.phone);
        await stranger.getByRole('button', { name: 'Tra cứu' }).click();
        await stranger.locator(`[data-testid="order"][data-number="${number}"]`).waitFor();
        assert.deepEqual(await stranger.getByTestId('sub-order-status').allTextContents(), ['Đang giao', 'Đang giao']);
        await noSidewaysScroll(stranger);
        await stranger.context().close();
      });
      await guest.context().close();
    });
  }
});
