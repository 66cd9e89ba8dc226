// Photos and cooperative profiles, with the demo data (htxmarket seed): the
// manager of HTX Nông nghiệp Diễn creates a product from the form with two
// photos, its price typed "150.000" (and "150,5" refused before it leaves
// the browser), certifications ticked from the list and one wholesale
// tier; is told it is saved with the next steps; reorders and deletes its
// photos and puts it on sale; on a phone too. Then the storefront hides the
// empty profile fields, shows the story, address, phone and Zalo link once
// given, and the logo and cover the manager uploads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const coop = 'htx-nong-nghiep-dien';
const dashboard = `/quan-ly/${coop}`;

describe('photos and cooperative profiles', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {Awaited<ReturnType<typeof openBrowser>>} */
  let browser;
  /** @type {import('playwright-core').Cookie[]} */
  let cookies;

  before(async () => {
    server = await startServer({ seed: true });
    browser = await openBrowser({ baseURL: server.baseURL });
    const page = await browser.newPage();
    await signIn(page, 'quanly@demo.htxmarket.vn');
    cookies = await page.context().cookies();
    await page.context().close();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** managerPage opens a page signed in as the cooperative's manager. */
  async function managerPage(options = {}) {
    const page = await browser.newPage(options);
    await page.context().addCookies(cookies);
    return page;
  }

  /** picture draws a w×h PNG of one colour in the page and returns it as a file to choose. */
  async function picture(page, name, w, h, colour) {
    const data = await page.evaluate(
      ([w, h, colour]) => {
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no canvas');
        ctx.fillStyle = colour;
        ctx.fillRect(0, 0, w, h);
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(w / 4, h / 4, w / 2, h / 2);
        return canvas.toDataURL('image/png').split(',')[1] ?? '';
      },
      [w, h, colour],
    );
    return { name, mimeType: 'image/png', buffer: Buffer.from(data, 'base64') };
  }

  /** api reads a JSON resource with the page's session. */
  async function api(page, path) {
    return page.evaluate(async (p) => {
      const res = await fetch(`/api/v1${p}`);
      return { status: res.status, body: await res.json() };
    }, path);
  }

  /** imageIDs lists the IDs of the photos in the manager, in order. */
  async function imageIDs(scope) {
    return scope.getByTestId('product-image').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  }

  /**
   * createProduct fills the new-product form and saves it with the photos,
   * returning the panel that announces it.
   */
  async function createProduct(page, { name, sku, photos }) {
    await page.goto(`${dashboard}?muc=them-san-pham`);
    const form = page.getByTestId('new-product-form');
    await form.locator('#np-name').fill(name);
    await form.getByTestId('certification-picker').getByLabel('VietGAP').check();
    await form.getByTestId('certification-picker').getByLabel('Hữu cơ').check();
    await form.locator('#np-sku').fill(sku);
    await form.locator('#np-unit').fill('hộp 200g');
    await form.locator('#np-stock').fill('40');
    // A comma is the decimal mark: refused next to the field, nothing sent.
    await form.locator('#np-price').fill('150,5');
    await form.getByRole('button', { name: 'Thêm sản phẩm' }).click();
    await form.getByTestId('price-error').filter({ hasText: 'dấu phẩy' }).waitFor();
    await form.locator('#np-price').fill('150.000');
    // The one wholesale block: from 10 boxes, 140.000 ₫ each.
    await form.locator('#np-wholesale-min').fill('10');
    await form.getByTestId('tier-add').click();
    const tier = form.getByTestId('tier-row-input').first();
    await tier.locator('input[name="tierQty"]').fill('10');
    await tier.locator('input[name="tierPrice"]').fill('140.000 ₫');
    await form.getByTestId('np-photos').setInputFiles(photos);
    await form.getByTestId('staged-photo').nth(photos.length - 1).waitFor();
    await form.getByRole('button', { name: 'Thêm sản phẩm' }).click();
    const saved = page.getByTestId('product-saved');
    await saved.waitFor();
    return saved;
  }

  test('a product is created with its photos, price typed 150.000, then its photos reordered and deleted', async (t) => {
    const page = await managerPage();
    await withScreenshot(t, page, async () => {
      await page.goto(dashboard);
      const photos = [
        await picture(page, 'tra-1.png', 900, 600, '#2e7d32'),
        await picture(page, 'tra-2.png', 600, 600, '#c62828'),
        await picture(page, 'tra-3.png', 500, 700, '#1565c0'),
      ];
      const saved = await createProduct(page, { name: 'Trà hoa vàng Ba Chẽ', sku: 'TRA-HV-200', photos });
      assert.match((await saved.getByRole('heading', { level: 2 }).textContent()) ?? '', /Đã lưu sản phẩm “Trà hoa vàng Ba Chẽ”/);
      assert.match((await saved.textContent()) ?? '', /bản nháp/);
      assert.match((await saved.getByTestId('next-steps').textContent()) ?? '', /Mở bán/);
      await saved.getByTestId('product-image').nth(2).waitFor();
      await screenshot(page, 'media-product-saved-vi');

      const slug = await saved.getAttribute('data-slug');
      const { body: product } = await api(page, `/products/${slug}`);
      assert.equal(product.variants[0].price_vnd, 150000);
      assert.equal(product.variants[0].wholesale_min_qty, 10);
      assert.deepEqual(product.variants[0].price_tiers, [{ min_qty: 10, unit_price_vnd: 140000 }]);
      assert.deepEqual(product.certifications, ['Hữu cơ', 'VietGAP']);
      assert.equal(product.images.length, 3);
      assert.deepEqual(await imageIDs(saved), product.images.map((i) => i.id));

      // The first photo moves after the second; the third becomes the main one.
      const [first, second, third] = await imageIDs(saved);
      await saved.getByTestId('product-image').first().getByTestId('image-later').click();
      await page.waitForFunction(
        (id) => document.querySelector('[data-testid="product-image"]')?.getAttribute('data-id') === id,
        second,
      );
      assert.deepEqual(await imageIDs(saved), [second, first, third]);
      await saved.getByTestId('product-image').nth(2).getByTestId('image-main').click();
      await page.waitForFunction(
        (id) => document.querySelector('[data-testid="product-image"]')?.getAttribute('data-id') === id,
        third,
      );
      assert.deepEqual(await imageIDs(saved), [third, second, first]);

      // Deleting asks first; then the photo is gone, here and in the API.
      await saved.getByTestId('product-image').nth(1).getByTestId('image-delete').click();
      await saved.getByTestId('image-delete-confirm').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-image"]').length === 2);
      assert.deepEqual(await imageIDs(saved), [third, first]);
      const after = (await api(page, `/products/${slug}`)).body;
      assert.deepEqual(after.images.map((i) => i.id), [third, first]);

      // Put on sale; its page shows the price and the main photo.
      await saved.getByTestId('publish-product').click();
      await saved.getByTestId('view-product').click();
      await page.waitForURL(`**/san-pham/${slug}`);
      await page.getByTestId('variants').filter({ hasText: '150.000' }).waitFor();
      const main = page.locator(`img[src="${after.images[0].medium_url}"], img[src="${after.images[0].url}"], img[src="${after.images[0].thumb_url}"]`).first();
      await main.waitFor();
      assert.ok(await main.evaluate((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0));

      // The editor of the product list offers the same controls.
      await page.goto(dashboard);
      await page.locator(`[data-testid="dashboard-product"][data-slug="${slug}"]`).getByTestId('edit-product').click();
      const editor = page.getByTestId('product-editor');
      await editor.getByTestId('product-image').nth(1).waitFor();
      assert.deepEqual(await imageIDs(editor), [third, first]);
      assert.equal(await editor.getByTestId('certification-picker').getByLabel('VietGAP').isChecked(), true);
      assert.equal(await editor.getByTestId('certification-picker').getByLabel('HACCP').isChecked(), false);
    });
  });

  test('on a phone: the form fits, a photo is added and deleted', async (t) => {
    const page = await managerPage(phone);
    await withScreenshot(t, page, async () => {
      await page.goto(`${dashboard}?muc=them-san-pham`);
      await page.getByTestId('new-product-form').waitFor();
      await noSidewaysScroll(page);
      const saved = await createProduct(page, {
        name: 'Mật ong hoa nhãn',
        sku: 'MO-NHAN-200',
        photos: [await picture(page, 'mat-ong.png', 800, 800, '#f9a825')],
      });
      await saved.getByTestId('product-image').first().waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, 'media-product-saved-vi-mobile');
      await saved.getByTestId('image-delete').click();
      await saved.getByTestId('image-delete-confirm').click();
      await saved.getByTestId('no-images').waitFor();
      const slug = await saved.getAttribute('data-slug');
      assert.equal((await api(page, `/products/${slug}`)).body.images.length, 0);
    });
  });

  test('the storefront hides empty profile fields and shows story, address, phone and Zalo once given', async (t) => {
    const page = await browser.newPage(phone);
    await withScreenshot(t, page, async () => {
      // The demo cooperative came from the CSV import: no registration number, phone, address or story.
      await page.goto(`/hop-tac-xa/${coop}`);
      const profile = page.getByTestId('coop-profile');
      await profile.waitFor();
      const text = (await profile.textContent()) ?? '';
      assert.doesNotMatch(text, /Mã số HTX/);
      assert.equal(await profile.getByTestId('coop-contact').count(), 0);
      assert.equal(await profile.getByTestId('coop-story').count(), 0);
      for (const dd of await profile.locator('dd').all()) {
        assert.notEqual(((await dd.textContent()) ?? '').trim(), '', 'a fact with nothing to say');
      }

      const manager = await managerPage();
      await manager.goto(`${dashboard}?muc=ho-so`);
      await manager.getByLabel('Số điện thoại').fill('0912 345 678');
      await manager.getByLabel('Địa chỉ chi tiết').fill('Thôn Đông, đường Bưởi Diễn');
      await manager.getByLabel('Câu chuyện hợp tác xã').fill('Ba thế hệ trồng bưởi Diễn bên sông Hồng.');
      await manager.getByRole('button', { name: 'Lưu hồ sơ' }).click();
      await manager.getByText('Đã lưu hồ sơ.').waitFor();

      await page.reload();
      await profile.getByTestId('coop-story').filter({ hasText: 'Ba thế hệ trồng bưởi Diễn' }).waitFor();
      const contact = profile.getByTestId('coop-contact');
      assert.match((await contact.textContent()) ?? '', /Thôn Đông, đường Bưởi Diễn/);
      assert.equal(await contact.getByRole('link', { name: '0912 345 678' }).getAttribute('href'), 'tel:0912345678');
      assert.equal(await contact.getByTestId('coop-zalo').getAttribute('href'), 'https://zalo.me/0912345678');
      assert.doesNotMatch((await profile.textContent()) ?? '', /Mã số HTX/);
      await noSidewaysScroll(page);
      await screenshot(page, 'media-storefront-contact-vi-mobile');
      await manager.close();
    });
  });

  test('a logo and a cover uploaded in the profile show on the storefront', async (t) => {
    const page = await managerPage();
    await withScreenshot(t, page, async () => {
      await page.goto(`${dashboard}?muc=ho-so`);
      const images = page.getByTestId('coop-images');
      await images.waitFor();
      await images.getByTestId('coop-logo-file').setInputFiles(await picture(page, 'logo.png', 600, 600, '#2e7d32'));
      await images.getByTestId('coop-logo-preview').waitFor();
      await images.getByTestId('coop-cover-file').setInputFiles(await picture(page, 'bia.png', 1800, 600, '#ef6c00'));
      await images.getByTestId('coop-cover-preview').waitFor();
      await images.getByText('Đã cập nhật ảnh bìa.').waitFor();
      await screenshot(page, 'media-coop-images-vi');
      // Saving the profile afterwards keeps them.
      await page.getByRole('button', { name: 'Lưu hồ sơ' }).click();
      await page.getByText('Đã lưu hồ sơ.').waitFor();
      await page.getByTestId('coop-logo-preview').waitFor();
      const small = await managerPage(phone);
      await small.goto(`${dashboard}?muc=ho-so`);
      await small.getByTestId('coop-cover-preview').waitFor();
      await noSidewaysScroll(small);
      await screenshot(small, 'media-coop-images-vi-mobile');
      await small.close();

      for (const [options, suffix] of [[{}, ''], [phone, '-mobile']]) {
        const visitor = await browser.newPage(options);
        await visitor.goto(`/hop-tac-xa/${coop}`);
        const logo = visitor.getByTestId('coop-logo');
        const cover = visitor.getByTestId('coop-cover');
        await logo.waitFor();
        await cover.waitFor();
        await visitor.waitForFunction(() =>
          [...document.querySelectorAll('[data-testid="coop-logo"], [data-testid="coop-cover"]')].every(
            (img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0,
          ),
        );
        assert.match((await logo.getAttribute('src')) ?? '', /^\/media\/cooperatives\/.+-logo\.jpg$/);
        assert.equal(await logo.evaluate((img) => img instanceof HTMLImageElement && img.naturalWidth), 400);
        assert.equal(await cover.evaluate((img) => img instanceof HTMLImageElement && img.naturalWidth), 1200);
        await noSidewaysScroll(visitor);
        await screenshot(visitor, `media-storefront-images-vi${suffix}`);
        await visitor.close();
      }

      // Removing the logo brings back the initial.
      await page.getByTestId('coop-logo-remove').click();
      await page.getByText('Đã gỡ logo.').waitFor();
      const visitor = await browser.newPage();
      await visitor.goto(`/hop-tac-xa/${coop}`);
      await visitor.getByTestId('coop-cover').waitFor();
      assert.equal(await visitor.getByTestId('coop-logo').count(), 0);
      await visitor.close();
    });
  });
});
