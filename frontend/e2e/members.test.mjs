// Memberships by consent, with the demo data (htxmarket seed): the manager
// of HTX Nông nghiệp Diễn invites people by e-mail, and the page answers the
// same for an unknown address as for a known one, naming nobody; the
// manager withdraws an invitation; the person invited sees the invitation
// on their Quản lý page and accepts (desktop) or accepts and declines (on
// a phone), and is then a member; a member leaves on their own. A new name
// of the verified cooperative waits for review: the Quản lý page says so and
// the storefront keeps the verified name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const slug = 'htx-nong-nghiep-dien';
const coopName = 'HTX Nông nghiệp Diễn';
const members = `/quan-ly/${slug}?muc=thanh-vien`;

// invite sends an invitation from the Members tab and waits for the answer.
async function invite(page, login, role = 'coop_staff') {
  await page.getByLabel('Email hoặc số điện thoại').fill(login);
  await page.getByLabel('Vai trò').selectOption(role);
  await page.getByRole('button', { name: 'Gửi lời mời' }).click();
  await page.getByTestId('members-status').filter({ hasText: `Đã gửi lời mời tới ${login}.` }).waitFor();
}

describe('members by invitation', () => {
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

  test('a manager invites, the invitee accepts on a desktop and leaves on a phone', async (t) => {
    const manager = await browser.newPage();
    const invitee = await browser.newPage();
    let page = manager;
    await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
      await signIn(manager, 'quanly@demo.htxmarket.vn');
      await manager.goto(members);
      await manager.getByTestId('members-item').filter({ hasText: 'Phạm Thị Mai' }).waitFor();
      assert.equal(await manager.getByTestId('member-invitations').count(), 0);

      // An unknown address and a known one get the same answer, without a name.
      await invite(manager, 'chua-co-tai-khoan@example.vn');
      await invite(manager, 'nguoimua@demo.htxmarket.vn');
      assert.equal(await manager.getByText('Nguyễn Thu Hà').count(), 0, 'the invitation names the account');
      assert.equal(await manager.getByTestId('members-item').count(), 2, 'nobody is a member before accepting');
      const pending = manager.getByTestId('member-invitations-item');
      assert.equal(await pending.count(), 2);
      assert.match(await pending.first().textContent(), /Thành viên · nhân viên/);
      assert.match(await pending.first().textContent(), /Hết hạn ngày/);

      // Withdrawing asks first.
      let question = '';
      manager.once('dialog', (d) => {
        question = d.message();
        void d.accept();
      });
      await manager.getByRole('button', { name: 'Huỷ lời mời gửi chua-co-tai-khoan@example.vn' }).click();
      await manager.getByTestId('members-status').filter({ hasText: 'Đã huỷ lời mời gửi chua-co-tai-khoan@example.vn.' }).waitFor();
      assert.equal(question, 'Huỷ lời mời gửi chua-co-tai-khoan@example.vn?');
      assert.equal(await pending.count(), 1);
      await screenshot(manager, 'members-invitations-vi');

      // The person invited accepts on their Quản lý page.
      page = invitee;
      await signIn(invitee, 'nguoimua@demo.htxmarket.vn');
      await invitee.goto('/quan-ly');
      const card = invitee.getByTestId('my-invitation');
      await card.waitFor();
      assert.match(await card.textContent(), new RegExp(`Lê Văn Diễn mời bạn làm nhân viên của ${coopName}\\.`));
      await screenshot(invitee, 'my-invitations-vi');
      await invitee.getByRole('button', { name: `Nhận lời mời của ${coopName}` }).click();
      await invitee.getByTestId('my-invitations-status').filter({ hasText: `Bạn đã tham gia ${coopName}.` }).waitFor();
      await invitee.locator(`[data-testid="my-coop"][data-slug="${slug}"]`).waitFor();
      assert.equal(await card.count(), 0);
      await invitee.getByTestId('nav-manage').waitFor();

      // The manager sees a new member and no invitation left.
      page = manager;
      await manager.reload();
      await manager.getByTestId('members-item').filter({ hasText: 'Nguyễn Thu Hà' }).waitFor();
      assert.equal(await manager.getByTestId('member-invitations').count(), 0);

      // On a phone the new member sees the list without the form, and leaves.
      const mobile = await browser.newPage(phone);
      page = mobile;
      await mobile.context().addCookies(await invitee.context().cookies());
      await mobile.goto(members);
      await mobile.getByTestId('members-item').filter({ hasText: 'Nguyễn Thu Hà' }).waitFor();
      assert.equal(await mobile.getByTestId('member-form').count(), 0);
      await noSidewaysScroll(mobile);
      await screenshot(mobile, 'members-member-vi-mobile');
      mobile.once('dialog', (d) => void d.accept());
      await mobile.getByRole('button', { name: 'Rời hợp tác xã' }).click();
      await mobile.waitForURL('**/quan-ly');
      await mobile.getByTestId('my-coops-empty').waitFor();
      await mobile.close();

      page = manager;
      await manager.reload();
      await manager.getByTestId('members-item').filter({ hasText: 'Phạm Thị Mai' }).waitFor();
      assert.equal(await manager.getByTestId('members-item').filter({ hasText: 'Nguyễn Thu Hà' }).count(), 0);
    });
  });

  test('on a phone, a wholesaler accepts to manage and trade staff decline a delegation', async (t) => {
    const manager = await browser.newPage();
    const buyer = await browser.newPage(phone);
    const staff = await browser.newPage(phone);
    let page = manager;
    await withScreenshot(t, { screenshot: (o) => page.screenshot(o) }, async () => {
      await signIn(manager, 'quanly@demo.htxmarket.vn');
      await manager.goto(members);
      await invite(manager, 'daily@demo.htxmarket.vn', 'coop_manager');
      await manager.goto(`/quan-ly/${slug}?muc=uy-quyen`);
      await manager.getByLabel('Email hoặc số điện thoại của cán bộ').fill('xuctien.hanoi@demo.htxmarket.vn');
      await manager.getByRole('button', { name: 'Gửi lời mời' }).click();
      await manager.getByTestId('delegates-status').filter({ hasText: 'Đã gửi lời mời tới xuctien.hanoi@demo.htxmarket.vn.' }).waitFor();
      await manager.getByTestId('delegate-invitations-item').waitFor();

      page = buyer;
      await signIn(buyer, 'daily@demo.htxmarket.vn');
      await buyer.goto('/quan-ly');
      const card = buyer.getByTestId('my-invitation');
      await card.waitFor();
      assert.match(await card.textContent(), new RegExp(`mời bạn làm người quản lý của ${coopName}\\.`));
      await noSidewaysScroll(buyer);
      await screenshot(buyer, 'my-invitations-vi-mobile');
      await buyer.getByRole('button', { name: `Nhận lời mời của ${coopName}` }).click();
      const mine = buyer.locator(`[data-testid="my-coop"][data-slug="${slug}"]`);
      await mine.waitFor();
      assert.match(await mine.textContent(), /Quản lý hợp tác xã/);

      page = staff;
      await signIn(staff, 'xuctien.hanoi@demo.htxmarket.vn');
      await staff.goto('/quan-ly');
      const offer = staff.getByTestId('my-invitation');
      await offer.waitFor();
      assert.match(await offer.textContent(), new RegExp(`mời bạn quản lý sản phẩm thay cho ${coopName}\\.`));
      await staff.getByRole('button', { name: `Từ chối lời mời của ${coopName}` }).click();
      await staff.getByTestId('my-invitations-status').filter({ hasText: `Đã từ chối lời mời của ${coopName}.` }).waitFor();
      assert.equal(await offer.count(), 0);
      assert.equal(await staff.locator(`[data-testid="my-coop"][data-slug="${slug}"]`).count(), 0);

      page = manager;
      await manager.reload();
      await manager.getByTestId('delegates-empty').waitFor();
      assert.equal(await manager.getByTestId('delegate-invitations').count(), 0);
    });
  });

  test("a verified cooperative's new name waits for review", async (t) => {
    const manager = await browser.newPage();
    await withScreenshot(t, manager, async () => {
      await signIn(manager, 'quanly@demo.htxmarket.vn');
      await manager.goto(`/quan-ly/${slug}?muc=ho-so`);
      await manager.getByLabel('Tên hợp tác xã').fill('HTX Nông nghiệp Bưởi Diễn');
      await manager.getByRole('button', { name: 'Lưu hồ sơ' }).click();
      await manager.getByText('Đã lưu hồ sơ.').waitFor();

      await manager.goto('/quan-ly');
      const waiting = manager.locator(`[data-testid="my-coop"][data-slug="${slug}"]`).getByTestId('pending-changes');
      await waiting.waitFor();
      assert.match(await waiting.textContent(), /Thay đổi đang chờ cán bộ duyệt/);
      assert.match(await waiting.textContent(), /Tên: HTX Nông nghiệp Bưởi Diễn/);
      await screenshot(manager, 'my-cooperatives-pending-changes-vi');

      await manager.goto(`/hop-tac-xa/${slug}`);
      await manager.getByRole('heading', { level: 1, name: coopName }).waitFor();
      assert.equal(await manager.getByText('HTX Nông nghiệp Bưởi Diễn').count(), 0);
    });
  });
});
