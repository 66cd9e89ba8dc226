// The cooperative's way onto the marketplace, against the real server: a
// user signs up and registers a cooperative in Hà Nội, the province's trade
// staff verify it, the manager imports a catalog CSV (a dry run reports a
// bad row, then a good file is applied), and an anonymous visitor finds the
// products on the storefront and the product page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { openBrowser, screenshot, startServer, withScreenshot } from './harness.mjs';

const sampleCSV = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../internal/catalog/sampledata/catalog-sample.csv',
);

const coopName = 'HTX Nông sản sạch Đông Anh';
const staffEmail = `xuctien.${process.pid}@example.vn`;
const staffPassword = 'xuc-tien-Ha-Noi-2025';

// catalogFile takes three Hà Nội rows of the sample catalog and gives them to
// the new cooperative; bad spoils the price of the second row (line 3).
function catalogFile(bad) {
  const lines = readFileSync(sampleCSV, 'utf8').trim().split('\n');
  const header = lines[0];
  const rows = lines
    .slice(1)
    .filter((l) => l.split(',')[3] === 'ha-noi')
    .slice(0, 3)
    .map((l) => {
      const cells = l.split(',');
      cells[2] = coopName;
      return cells;
    });
  assert.equal(rows.length, 3);
  if (bad) rows[1][7] = 'bốn mươi nghìn';
  return {
    name: bad ? 'danh-muc-loi.csv' : 'danh-muc.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([header, ...rows.map((r) => r.join(','))].join('\n') + '\n', 'utf8'),
    names: rows.map((r) => r[4]),
  };
}

describe('cooperative onboarding', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {Awaited<ReturnType<typeof openBrowser>>} */
  let browser;

  before(async () => {
    server = await startServer();
    await server.run(
      ['user', 'create', '--email', staffEmail, '--name', 'Đỗ Minh Tuấn', '--role', 'trade_staff', '--province', 'ha-noi'],
      `${staffPassword}\n`,
    );
    browser = await openBrowser({ baseURL: server.baseURL });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('register, verify, import a catalog, sell', async (t) => {
    const manager = await browser.newPage();
    const staff = await browser.newPage();
    const visitor = await browser.newPage();
    let page = manager;
    await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
      // 1. A user signs up and registers a cooperative in Hà Nội.
      await manager.goto('/dang-ky');
      await manager.getByLabel('Email hoặc số điện thoại').fill(`lan.${process.pid}@example.vn`);
      await manager.getByLabel('Họ và tên').fill('Nguyễn Thị Lan');
      await manager.getByLabel('Mật khẩu').fill('rau-sach-Dong-Anh-2025');
      await manager.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await manager.getByTestId('nav-account').waitFor();
      assert.equal(await manager.getByTestId('nav-manage').count(), 0);

      await manager.goto('/dang-ky-hop-tac-xa');
      await manager.locator('h1', { hasText: 'Đăng ký hợp tác xã' }).waitFor();
      // The server's field errors land next to their fields.
      await manager.getByRole('button', { name: 'Gửi đăng ký' }).click();
      await manager.getByTestId('name-error').waitFor();
      assert.equal(await manager.getByLabel('Tên hợp tác xã').getAttribute('aria-invalid'), 'true');

      await manager.getByLabel('Tên hợp tác xã').fill(coopName);
      await manager.getByLabel('Mã số HTX').fill('0101234567');
      await manager.getByLabel('Tỉnh, thành phố').selectOption('ha-noi');
      await manager.getByLabel('Xã, phường').fill('Xã Đông Anh');
      await manager.getByLabel('Số điện thoại').fill('0912345678');
      await manager.getByLabel('Câu chuyện hợp tác xã').fill('Rau sạch trồng theo chuẩn VietGAP ven sông Hồng.');
      await manager.getByRole('button', { name: 'Gửi đăng ký' }).click();

      await manager.waitForURL('**/quan-ly');
      const mine = manager.getByTestId('my-coop').filter({ hasText: coopName });
      await mine.getByTestId('coop-status').filter({ hasText: 'Chờ duyệt' }).waitFor();
      const slug = await mine.getAttribute('data-slug');
      assert.ok(slug, 'no slug');
      // The new membership shows in the header.
      await manager.getByTestId('nav-manage').waitFor();

      // 2. Hà Nội's trade staff verify it.
      page = staff;
      await staff.goto('/dang-nhap');
      await staff.getByLabel('Email hoặc số điện thoại').fill(staffEmail);
      await staff.getByLabel('Mật khẩu', { exact: true }).fill(staffPassword);
      await staff.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      await staff.getByTestId('nav-review').click();
      await staff.waitForURL('**/duyet-hop-tac-xa');
      const item = staff.locator(`[data-testid="review-item"][data-slug="${slug}"]`);
      await item.waitFor();
      await screenshot(staff, 'review-queue-vi');
      await item.getByTestId('verify').click();
      // The decision is confirmed first.
      await item.getByTestId('verify-confirm-yes').click();
      await item.waitFor({ state: 'detached' });

      // 3. The manager imports a catalog: a dry run of a bad file reports the bad row.
      page = manager;
      await manager.reload();
      await mine.getByTestId('coop-status').filter({ hasText: 'Đã duyệt' }).waitFor();
      await mine.getByTestId('manage-link').click();
      await manager.waitForURL(`**/quan-ly/${slug}`);
      await manager.getByTestId('dashboard-products-empty').waitFor();
      await manager.getByTestId('tab-nhap-csv').click();

      const bad = catalogFile(true);
      await manager.getByTestId('csv-file').setInputFiles(bad);
      await manager.getByTestId('csv-dry-run').click();
      const rows = manager.getByTestId('import-error-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 1);
      const cells = await rows.first().locator('td').allTextContents();
      assert.equal(cells[0], '3');
      assert.equal(cells[1], 'price_vnd');
      assert.ok(cells[2].length > 0, 'no reason given');
      await screenshot(manager, 'dashboard-import-report-vi');

      // Then a good file: checked, then applied.
      const good = catalogFile(false);
      await manager.getByTestId('csv-file').setInputFiles(good);
      await manager.getByTestId('csv-dry-run').click();
      await manager.getByTestId('import-report').filter({ hasText: 'Tệp hợp lệ: 3 dòng' }).waitFor();
      await manager.getByTestId('csv-apply').click();
      await manager.locator('[data-testid="import-report"][data-applied="true"]').filter({ hasText: 'Đã nhập 3 dòng' }).waitFor();

      await manager.getByTestId('tab-san-pham').click();
      await manager.getByTestId('dashboard-product').first().waitFor();
      assert.equal(await manager.getByTestId('dashboard-product').count(), 3);

      // Stock can be counted again from the table.
      await manager.getByTestId('edit-product').first().click();
      const stock = manager.getByTestId('stock-input').first();
      await stock.fill('75');
      await manager.getByTestId('stock-save').first().click();
      await manager.getByTestId('form-success').filter({ hasText: 'Đã cập nhật tồn kho.' }).waitFor();
      await screenshot(manager, 'dashboard-vi');

      // 4. An anonymous visitor finds the products on the storefront and the product page.
      page = visitor;
      await visitor.goto(`/hop-tac-xa/${slug}`);
      await visitor.locator('h1', { hasText: coopName }).waitFor();
      const cards = visitor.getByTestId('product-card');
      await cards.first().waitFor();
      assert.equal(await cards.count(), 3);
      const names = await visitor.locator('.product-card__name').allTextContents();
      assert.deepEqual(names.sort(), [...good.names].sort());

      await visitor.getByRole('link', { name: good.names[0], exact: true }).click();
      await visitor.locator('h1', { hasText: good.names[0] }).waitFor();
      await visitor.getByTestId('variants').waitFor();
      await visitor.getByTestId('coop-card').filter({ hasText: coopName }).waitFor();
      assert.equal(await visitor.getByTestId('nav-manage').count(), 0);

      for (const p of [manager, staff, visitor]) {
        assert.deepEqual(
          p.errors.filter((e) => !/status of (400|422)/.test(e)),
          [],
        );
      }
    });
  });
});
