// The cooperative's product editor with the demo data (htxmarket seed): the
// manager renames Bưởi Diễn, adds a packaging with a wholesale tier, is told
// in Vietnamese why a negative price is refused, stops selling a packaging,
// gives the product a 4-star OCOP rating (refused without its certificate)
// and lets it expire, and the public product page shows each change; on a
// phone too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const dashboard = '/quan-ly/htx-nong-nghiep-dien';

describe('product editor', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {Awaited<ReturnType<typeof openBrowser>>} */
  let browser;
  /** @type {import('playwright-core').Cookie[]} */
  let managerCookies;
  /** @type {import('playwright-core').Cookie[]} */
  let staffCookies;

  before(async () => {
    server = await startServer({ seed: true });
    browser = await openBrowser({ baseURL: server.baseURL });
    managerCookies = await signInFor('quanly@demo.htxmarket.vn');
    staffCookies = await signInFor('nhanvien@demo.htxmarket.vn');
  });

  /** signInFor logs a demo account in and returns its session cookies. */
  async function signInFor(email) {
    const page = await browser.newPage();
    await signIn(page, email);
    await page.getByTestId('nav-manage').waitFor();
    const cookies = await page.context().cookies();
    await page.context().close();
    return cookies;
  }

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** openEditor opens the dashboard signed in as the manager (or staff), with Bưởi Diễn's editor open. */
  async function openEditor(options = {}, cookies = managerCookies) {
    const page = await browser.newPage(options);
    await page.context().addCookies(cookies);
    await page.goto(dashboard);
    const row = page.locator('[data-testid="dashboard-product"][data-slug="buoi-dien"]');
    await row.getByTestId('edit-product').click();
    const editor = page.getByTestId('product-editor');
    await editor.getByTestId('variant-card').first().waitFor();
    return { page, row, editor };
  }

  /** publicPage opens a product page as a visitor who is not signed in. */
  async function publicPage(slug) {
    const page = await browser.newPage();
    await page.goto(`/san-pham/${slug}`);
    await page.getByTestId('variants').waitFor();
    return page;
  }

  test('renaming a product shows on its public page', async (t) => {
    const { page, row, editor } = await openEditor();
    await withScreenshot(t, page, async () => {
      const details = editor.getByTestId('product-details');
      const name = details.getByLabel('Tên sản phẩm');
      assert.equal(await name.inputValue(), 'Bưởi Diễn');
      await name.fill('Bưởi Diễn loại đặc biệt');
      await details.getByLabel('Từ khoá').fill('trái cây, bưởi, quà Tết, bưởi');
      await details.getByLabel('Tháng 1', { exact: true }).check();
      await details.getByLabel('Tháng 2', { exact: true }).check();
      await details.getByRole('button', { name: 'Lưu thông tin' }).click();
      await details.getByTestId('form-success').filter({ hasText: 'Đã lưu thông tin sản phẩm.' }).waitFor();
      // The server drops the repeated keyword; the form shows what was kept.
      assert.equal(await details.getByLabel('Từ khoá').inputValue(), 'trái cây, bưởi, quà Tết');
      // The dashboard's row follows.
      await row.getByRole('link', { name: 'Bưởi Diễn loại đặc biệt' }).waitFor();
      await screenshot(page, 'product-editor-details-vi');
      assert.deepEqual(page.errors, []);

      const visitor = await publicPage('buoi-dien');
      await visitor.locator('h1', { hasText: 'Bưởi Diễn loại đặc biệt' }).waitFor();
      await visitor.getByText('Mùa vụ: tháng 1, 2').waitFor();
    });
  });

  test('a negative price is refused in Vietnamese and changes nothing', async (t) => {
    const { page, editor } = await openEditor();
    await withScreenshot(t, page, async () => {
      const card = editor.locator('[data-testid="variant-card"][data-sku="buoi-dien"]');
      await card.getByTestId('variant-edit').click();
      const form = card.getByTestId('variant-form');
      await form.getByLabel('Giá bán lẻ (₫)').fill('-45000');
      await form.getByTestId('variant-save').click();
      const error = form.getByTestId('price-error');
      await error.waitFor();
      assert.equal(await error.textContent(), 'Giá phải là số đồng lớn hơn 0');
      assert.equal(await form.getByLabel('Giá bán lẻ (₫)').getAttribute('aria-invalid'), 'true');
      // The field with the error gets the focus.
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'price');

      // Text that is no number never leaves the browser.
      await form.getByLabel('Giá bán lẻ (₫)').fill('bốn lăm nghìn');
      await form.getByTestId('variant-save').click();
      await form.getByTestId('price-error').filter({ hasText: 'Hãy nhập một số nguyên' }).waitFor();
      await form.getByRole('button', { name: 'Huỷ' }).click();
      assert.deepEqual(page.errors.filter((e) => !e.includes('400')), []);

      const visitor = await publicPage('buoi-dien');
      assert.match((await visitor.getByTestId('variants').textContent()) ?? '', /45\.000\s₫/);
      assert.match((await visitor.getByTestId('tier-prices').textContent()) ?? '', /38\.000\s₫/);
    });
  });

  test('a new packaging with a wholesale tier shows on the product page', async (t) => {
    const { page, row, editor } = await openEditor();
    await withScreenshot(t, page, async () => {
      await editor.getByTestId('variant-add-open').click();
      const form = editor.getByTestId('new-variant-form');
      await form.getByLabel('Mã SKU').fill('buoi-dien-hop-5kg');
      await form.getByLabel('Đơn vị').fill('hộp 5 kg');
      await form.getByLabel('Giá bán lẻ (₫)').fill('250.000');
      await form.getByLabel('Tồn kho', { exact: true }).fill('30');
      await form.getByTestId('tier-add').click();
      await form.getByLabel('Bậc 1: mua từ (số lượng)').fill('10');
      await form.getByLabel('Bậc 1: đơn giá (₫)').fill('230.000');
      // A second tier dearer than the first is refused, next to its field.
      await form.getByTestId('tier-add').click();
      await form.getByLabel('Bậc 2: mua từ (số lượng)').fill('20');
      await form.getByLabel('Bậc 2: đơn giá (₫)').fill('240000');
      await form.getByTestId('variant-add').click();
      await form.getByTestId('tierPrice-error').filter({ hasText: 'Giá sỉ không được tăng khi số lượng tăng' }).waitFor();
      await form.getByRole('button', { name: 'Xoá bậc 2' }).click();
      await form.getByTestId('variant-add').click();
      await editor.getByTestId('form-success').filter({ hasText: 'Đã thêm quy cách hộp 5 kg.' }).waitFor();
      const card = editor.locator('[data-testid="variant-card"][data-sku="buoi-dien-hop-5kg"]');
      assert.match((await card.getByTestId('variant-tiers').textContent()) ?? '', /từ 10 hộp 5 kg: 230\.000\s₫/);
      assert.equal(await card.getByTestId('stock-input').inputValue(), '30');
      await screenshot(page, 'product-editor-variants-vi');
      assert.deepEqual(page.errors.filter((e) => !e.includes('400')), []);

      // The page shows the wholesale tiers of the packaging chosen in its
      // picker (?goi=<SKU>).
      const visitor = await publicPage('buoi-dien?goi=buoi-dien-hop-5kg');
      const variants = (await visitor.getByTestId('variants').textContent()) ?? '';
      assert.match(variants, /hộp 5 kg/);
      assert.match(variants, /250\.000\s₫/);
      const tiers = (await visitor.getByTestId('tier-prices').textContent()) ?? '';
      assert.match(tiers, /10 hộp 5 kg/);
      assert.match(tiers, /230\.000\s₫/);

      // The editor changes the tier's price; then the manager stops selling the packaging.
      await card.getByTestId('variant-edit').click();
      const edit = card.getByTestId('variant-form');
      assert.equal(await edit.getByLabel('Bậc 1: đơn giá (₫)').inputValue(), '230000');
      await edit.getByLabel('Bậc 1: đơn giá (₫)').fill('225.000');
      await edit.getByTestId('variant-save').click();
      await card.getByTestId('form-success').filter({ hasText: 'Đã lưu giá và giá sỉ.' }).waitFor();
      assert.match((await card.getByTestId('variant-tiers').textContent()) ?? '', /225\.000\s₫/);

      // Staff may change prices but only a manager stops selling a packaging: the server says so.
      const staff = await openEditor({}, staffCookies);
      const staffCard = staff.editor.locator('[data-testid="variant-card"][data-sku="buoi-dien-hop-5kg"]');
      await staffCard.getByTestId('variant-archive').click();
      await staffCard.getByTestId('variant-archive-confirm').click();
      await staffCard.getByTestId('form-error').filter({ hasText: 'Bạn không có quyền thực hiện thao tác này' }).waitFor();
      assert.equal(await staffCard.count(), 1);

      await card.getByTestId('variant-archive').click();
      await card.getByTestId('variant-archive-confirm').click();
      await editor.getByTestId('archived-variants').filter({ hasText: 'hộp 5 kg (buoi-dien-hop-5kg)' }).waitFor();
      assert.equal(await editor.locator('[data-testid="variant-card"][data-sku="buoi-dien-hop-5kg"]').count(), 0);

      const after = await publicPage('buoi-dien');
      assert.doesNotMatch((await after.getByTestId('variants').textContent()) ?? '', /hộp 5 kg/);
    });
  });

  test('a 4-star OCOP rating shows on the product page, refused without a certificate, and shown as expired once past', async (t) => {
    const { page, editor } = await openEditor();
    await withScreenshot(t, page, async () => {
      const details = editor.getByTestId('product-details');
      const ocop = details.getByTestId('ocop-fields');
      const save = details.getByRole('button', { name: 'Lưu thông tin' });
      const year = new Date().getFullYear() + 2;
      // Bưởi Diễn came from the CSV import: 3 stars, without a certificate or an expiry.
      assert.equal(await ocop.getByLabel('Hạng OCOP').inputValue(), '3');

      // Without the certificate's number the server refuses, next to the field.
      await ocop.getByLabel('Hạng OCOP').selectOption('4');
      await ocop.getByLabel('Ngày hết hạn').fill(`31/12/${year}`);
      await save.click();
      const certificateError = ocop.getByTestId('ocopCertificate-error');
      await certificateError.waitFor();
      assert.equal(await certificateError.textContent(), 'Hãy nhập số giấy chứng nhận OCOP (tối đa 64 ký tự)');
      assert.equal(await ocop.getByLabel('Số giấy chứng nhận').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'ocopCertificate');

      // A day that is not in the calendar never leaves the browser.
      await ocop.getByLabel('Số giấy chứng nhận').fill('HN-2025-0107');
      await ocop.getByLabel('Ngày hết hạn').fill(`31/02/${year}`);
      await save.click();
      await ocop.getByTestId('ocopExpires-error').filter({ hasText: 'Hãy nhập một ngày có thật theo dạng ngày/tháng/năm' }).waitFor();

      // Nothing changed on the product page.
      const before = await publicPage('buoi-dien');
      const unchanged = before.getByTestId('ocop-badge');
      assert.equal(await unchanged.getAttribute('data-current'), 'true');
      const unchangedText = (await unchanged.textContent()) ?? '';
      assert.match(unchangedText, /OCOP ★★★(?!★)/);
      assert.doesNotMatch(unchangedText, /HN-2025-0107/);

      // With a date typed day first, the rating is saved and the form shows it back the same way.
      await ocop.getByLabel('Ngày hết hạn').fill(`31/12/${year}`);
      await save.click();
      await details.getByTestId('form-success').filter({ hasText: 'Đã lưu thông tin sản phẩm.' }).waitFor();
      assert.equal(await ocop.getByLabel('Ngày hết hạn').inputValue(), `31/12/${year}`);
      assert.equal(await ocop.getByTestId('ocop-expired').count(), 0);
      await screenshot(page, 'product-editor-ocop-vi');

      const visitor = await publicPage('buoi-dien');
      const badge = visitor.getByTestId('ocop-badge');
      assert.equal(await badge.getAttribute('data-current'), 'true');
      const text = (await badge.textContent()) ?? '';
      assert.match(text, /OCOP ★★★★(?!★)/);
      assert.match(text, /Giấy chứng nhận số HN-2025-0107/);
      assert.match(text, new RegExp(`Hiệu lực đến 31 tháng 12, ${year}`));

      // An expiry in the past is kept, as the API decides, but counts as expired, here and on the product page.
      await ocop.getByLabel('Ngày hết hạn').fill('30/06/2024');
      await save.click();
      await ocop.getByTestId('ocop-expired').filter({ hasText: 'đã hết hạn ngày 30 tháng 6, 2024' }).waitFor();
      const expired = await publicPage('buoi-dien');
      const expiredBadge = expired.getByTestId('ocop-badge');
      assert.equal(await expiredBadge.getAttribute('data-current'), 'false');
      assert.match((await expiredBadge.textContent()) ?? '', /Đã hết hạn/);
      assert.deepEqual(page.errors.filter((e) => !e.includes('400')), []);
    });
  });

  test('the editor fits a phone screen, and speaks English', async (t) => {
    const { page, editor } = await openEditor({ ...phone, viewport: { width: 375, height: 740 } });
    await withScreenshot(t, page, async () => {
      await editor.getByTestId('variant-edit').first().click();
      await editor.getByTestId('tier-add').first().click();
      await editor.getByTestId('variant-add-open').click();
      await editor.getByTestId('new-variant-form').getByTestId('tier-add').click();
      await noSidewaysScroll(page);
      await screenshot(page, 'product-editor-vi-mobile');

      await page.getByTestId('lang-switch').click();
      await editor.getByRole('button', { name: 'Save details' }).waitFor();
      await editor.getByText('Packagings, prices and stock').waitFor();
      await editor.getByLabel('OCOP rating').waitFor();
      await noSidewaysScroll(page);
      assert.deepEqual(page.errors, []);
    });
  });
});
