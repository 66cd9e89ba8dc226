// Delegates on the manager's dashboard, with the demo data (htxmarket seed):
// the manager of HTX Nông nghiệp Diễn (Hà Nội) invites Hà Nội's trade staff
// to manage its products, after the server has refused an empty login and
// one that is no e-mail or phone; the staff member accepts on their Quản lý
// page; a member of the cooperative sees the list without the controls,
// national trade staff outside the cooperative are told they cannot see
// it, nor its members; the manager ends the delegation, and a delegate
// steps down.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const dashboard = '/quan-ly/htx-nong-nghiep-dien?muc=uy-quyen';
const staffName = 'Đỗ Minh Tuấn';

// refused submits login and expects the server's message next to the field,
// with the list still empty.
async function refused(page, login, message) {
  await page.getByLabel('Email hoặc số điện thoại của cán bộ').fill(login);
  await page.getByRole('button', { name: 'Gửi lời mời', exact: true }).click();
  await page.getByTestId('login-error').filter({ hasText: message }).waitFor();
  assert.equal(await page.getByLabel('Email hoặc số điện thoại của cán bộ').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('delegates-item').count(), 0);
  await page.getByTestId('delegates-empty').waitFor();
}

// unexpected lists a page's console errors other than the refusals the test provokes.
function unexpected(page) {
  return page.errors.filter((e) => !/status of (400|403|404)/.test(e));
}

// inviteAndAccept has the manager invite Hà Nội's trade staff and the staff member
// accept, in a page of their own.
async function inviteAndAccept(browser, manager) {
  await manager.getByLabel('Email hoặc số điện thoại của cán bộ').fill('xuctien.hanoi@demo.htxmarket.vn');
  await manager.getByRole('button', { name: 'Gửi lời mời', exact: true }).click();
  await manager
    .getByTestId('delegates-status')
    .filter({ hasText: 'Đã gửi lời mời tới xuctien.hanoi@demo.htxmarket.vn. Cán bộ bắt đầu quản lý sản phẩm khi nhận lời mời.' })
    .waitFor();
  const staff = await browser.newPage();
  await signIn(staff, 'xuctien.hanoi@demo.htxmarket.vn');
  await staff.goto('/quan-ly');
  await staff.getByRole('button', { name: 'Nhận lời mời của HTX Nông nghiệp Diễn' }).click();
  await staff.locator('[data-testid="my-coop"][data-slug="htx-nong-nghiep-dien"]').waitFor();
  await staff.close();
}

describe('cooperative delegates', () => {
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

  test('a manager delegates to trade staff and ends the delegation', async (t) => {
    const manager = await browser.newPage();
    let page = manager;
    await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
      await signIn(manager, 'quanly@demo.htxmarket.vn');
      await manager.goto(dashboard);
      await manager.getByRole('heading', { name: 'Cán bộ được ủy quyền' }).waitFor();
      await manager.getByTestId('delegates-empty').waitFor();

      // The server's refusals land next to the field and change nothing.
      await refused(manager, '', 'Hãy nhập một email hoặc số điện thoại di động hợp lệ');
      await refused(manager, 'khong-phai-email', 'Hãy nhập một email hoặc số điện thoại di động hợp lệ');

      // Hà Nội's trade staff are invited, and become a delegate when they accept.
      const login = manager.getByLabel('Email hoặc số điện thoại của cán bộ');
      await inviteAndAccept(browser, manager);
      assert.equal(await login.inputValue(), '');
      assert.equal(await login.getAttribute('aria-invalid'), null);
      await manager.reload();
      const item = manager.getByTestId('delegates-item');
      await item.first().waitFor();
      assert.equal(await item.count(), 1);
      const text = await item.textContent();
      assert.match(text, new RegExp(staffName));
      assert.match(text, /xuctien\.hanoi@demo\.htxmarket\.vn/);
      assert.match(text, /Quản lý sản phẩm/);
      assert.match(text, /Được ủy quyền từ .*\d{4}/);
      assert.equal(await manager.getByTestId('delegates-empty').count(), 0);

      // It is recorded: a reload shows it.
      await manager.reload();
      await manager.getByTestId('delegates-item').filter({ hasText: staffName }).waitFor();
      await screenshot(manager, 'dashboard-delegates-vi');

      // On a phone the panel fits the screen.
      const mobile = await browser.newPage(phone);
      page = mobile;
      await mobile.context().addCookies(await manager.context().cookies());
      await mobile.goto(dashboard);
      await mobile.getByTestId('delegates-item').waitFor();
      await mobile.getByTestId('delegate-form').waitFor();
      await noSidewaysScroll(mobile);
      await screenshot(mobile, 'dashboard-delegates-vi-mobile');
      await mobile.close();
      page = manager;

      // Ending it asks first; declining changes nothing.
      const remove = manager.getByRole('button', { name: `Thôi ủy quyền cho ${staffName}` });
      manager.once('dialog', (d) => void d.dismiss());
      await remove.click();
      assert.equal(await manager.getByTestId('delegates-item').count(), 1);

      let question = '';
      manager.once('dialog', (d) => {
        question = d.message();
        void d.accept();
      });
      await remove.click();
      await manager.getByTestId('delegates-status').filter({ hasText: `Đã thôi ủy quyền cho ${staffName}.` }).waitFor();
      assert.match(question, new RegExp(`Thôi ủy quyền cho ${staffName}\\?`));
      await manager.getByTestId('delegates-empty').waitFor();
      assert.equal(await manager.getByTestId('delegates-item').count(), 0);
      await manager.reload();
      await manager.getByTestId('delegates-empty').waitFor();

      assert.deepEqual(unexpected(manager), []);
    });
  });

  test('others see what the server lets them, and a delegate steps down', async (t) => {
    const manager = await browser.newPage();
    const staff = await browser.newPage();
    const national = await browser.newPage();
    const delegate = await browser.newPage();
    let page = manager;
    await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
      await signIn(manager, 'quanly@demo.htxmarket.vn');
      await manager.goto(dashboard);
      await inviteAndAccept(browser, manager);
      await manager.reload();
      await manager.getByTestId('delegates-item').filter({ hasText: staffName }).waitFor();

      // A staff member of the cooperative sees the list, not the controls.
      page = staff;
      await signIn(staff, 'nhanvien@demo.htxmarket.vn');
      await staff.goto(dashboard);
      await staff.getByTestId('delegates-item').filter({ hasText: staffName }).waitFor();
      assert.equal(await staff.getByTestId('delegate-form').count(), 0);
      assert.equal(await staff.getByTestId('delegates-item').getByRole('button').count(), 0);
      await staff.getByText('Chỉ người quản lý hợp tác xã mới ủy quyền hoặc thôi ủy quyền được.').waitFor();

      // National trade staff may read the cooperative's record but not its
      // delegates: the server hides them, and the panel says so calmly.
      page = national;
      await signIn(national, 'xuctien@demo.htxmarket.vn');
      await national.goto(dashboard);
      await national.getByTestId('delegates-forbidden').waitFor();
      assert.equal(await national.getByTestId('delegate-form').count(), 0);
      assert.equal(await national.getByRole('alert').count(), 0);
      // Nor its members: the Members tab says so the same way, without the form, on a phone too.
      await national.setViewportSize({ width: 375, height: 740 });
      await national.getByTestId('tab-thanh-vien').click();
      const membersNote = national.getByTestId('members-forbidden');
      await membersNote.waitFor();
      assert.equal(await membersNote.textContent(), 'Chỉ thành viên của hợp tác xã mới xem được danh sách thành viên.');
      assert.equal(await national.getByTestId('member-form').count(), 0);
      assert.equal(await national.getByRole('alert').count(), 0);
      await noSidewaysScroll(national);
      await screenshot(national, 'members-forbidden-vi-mobile');

      // The delegate sees the cooperative and may step down, after a question.
      page = delegate;
      await signIn(delegate, 'xuctien.hanoi@demo.htxmarket.vn');
      await delegate.goto(dashboard);
      const stepDown = delegate.getByRole('button', { name: 'Thôi nhận ủy quyền' });
      await stepDown.waitFor();
      assert.equal(await delegate.getByTestId('delegate-form').count(), 0);
      delegate.once('dialog', (d) => void d.accept());
      await stepDown.click();
      await delegate.waitForURL('**/quan-ly');

      page = manager;
      await manager.reload();
      await manager.getByTestId('delegates-empty').waitFor();

      for (const p of [manager, staff, national, delegate]) assert.deepEqual(unexpected(p), []);
    });
  });
});
