// Staff and administrators, against the real server with the demo data, on
// a desktop and a phone: trade staff verify a cooperative after seeing who
// applied and its possible duplicates, and confirm; an administrator lands
// on the administration, finds a user, grants a role, reads the audit log,
// edits the search synonyms and filters every cooperative; a manager lands
// on their cooperative's dashboard, a shopper where they came from; others
// are told plainly that the administration is not for them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const sizes = [
  { name: 'desktop', options: {} },
  { name: 'phone', options: phone },
];

describe('staff and administrators', () => {
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

  /** api calls the API with a bearer token (or none) and returns the decoded answer. */
  async function api(method, path, body, token) {
    const res = await fetch(`${server.baseURL}/api/v1${path}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        Origin: server.baseURL,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** applicant opens an account and registers a pending cooperative in Hà Nội. */
  async function applicant(tag, name, number) {
    const email = `ung.vien.${tag}.${process.pid}@example.vn`;
    const session = await api('POST', '/auth/register', {
      client: 'api',
      email,
      password: 'rau-sach-Dong-Anh-2025',
      full_name: 'Trịnh Văn Khải',
    });
    const coop = await api(
      'POST',
      '/cooperatives',
      {
        name,
        registration_number: number,
        province: 'ha-noi',
        commune: 'Xã Đông Anh',
        founded_year: 2012,
        member_count: 45,
        story: 'Rau sạch ven sông Hồng.',
      },
      session.token,
    );
    return { email, coop, token: session.token };
  }

  for (const [i, size] of sizes.entries()) {
    test(`trade staff verify a cooperative after seeing its duplicates (${size.name})`, async (t) => {
      // "Hợp tác xã Nông nghiệp Diễn" resembles the demo's HTX Nông nghiệp Diễn;
      // a branch number of the same tax code is registered too.
      const base = `01088800${i}${i}`;
      const { email, coop } = await applicant(`${size.name}`, `Hợp tác xã Nông nghiệp Diễn ${i === 0 ? 'Mới' : 'Xanh'}`, base);
      const branch = await applicant(`${size.name}-cn`, `HTX Bưởi Tây Tựu ${i}`, `${base}-001`);
      const page = await browser.newPage(size.options);
      await withScreenshot(t, page, async () => {
        await signIn(page, 'xuctien.hanoi@demo.htxmarket.vn');
        // Trade staff land on the review queue.
        await page.waitForURL('**/duyet-hop-tac-xa');
        const item = page.locator(`[data-testid="review-item"][data-slug="${coop.slug}"]`);
        await item.waitFor();
        await item.getByTestId('review-applicant').filter({ hasText: email }).waitFor();
        assert.match(await item.getByTestId('review-applicant').innerText(), /Trịnh Văn Khải/);
        assert.equal(await item.getByTestId('review-founded').innerText(), '2012');
        assert.equal(await item.getByTestId('review-members').innerText(), '45 thành viên');
        assert.equal(await item.getByTestId('review-registration').innerText(), base);
        const dups = item.getByTestId('review-duplicate');
        await dups.first().waitFor();
        const slugs = await dups.evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));
        assert.equal(slugs[0], branch.coop.slug, 'the same registration number comes first');
        assert.ok(slugs.includes('htx-nong-nghiep-dien'), `similar name missing: ${slugs}`);
        assert.match(await dups.first().innerText(), new RegExp(`Cùng mã số ${base}-001`));
        await item.scrollIntoViewIfNeeded();
        await screenshot(page, `admin-review-duplicates-${size.name}`);
        if (size.name === 'phone') await noSidewaysScroll(page);

        // Verify asks first; stepping back changes nothing.
        await item.getByTestId('verify').click();
        const confirm = item.getByTestId('verify-confirm');
        await confirm.filter({ hasText: 'có thể trùng' }).waitFor();
        await confirm.getByTestId('verify-confirm-no').click();
        await confirm.waitFor({ state: 'detached' });
        assert.equal((await api('GET', `/cooperatives/${coop.slug}/registration`, undefined, (await staffToken()).token)).status, 'pending');

        await item.getByTestId('verify').click();
        await item.getByTestId('verify-confirm-yes').click();
        await item.waitFor({ state: 'detached' });
        const result = page.getByTestId('review-result');
        await result.filter({ hasText: `Đã duyệt “${coop.name}”` }).waitFor();
        await screenshot(page, `admin-review-result-${size.name}`);
        // The result leads to the storefront, now public.
        await result.getByTestId('review-result-storefront').click();
        await page.waitForURL(`**/hop-tac-xa/${coop.slug}`);
        await page.getByRole('heading', { name: coop.name }).first().waitFor();

        // Rejecting asks for a reason, then for confirmation.
        await page.goto('/duyet-hop-tac-xa');
        const other = page.locator(`[data-testid="review-item"][data-slug="${branch.coop.slug}"]`);
        await other.getByTestId('reject').click();
        await other.getByTestId('reject-reason').fill('Trùng mã số thuế với một hợp tác xã khác.');
        await other.getByTestId('reject-confirm').click();
        await other.getByTestId('reject-final-yes').click();
        await page.getByTestId('review-result').filter({ hasText: `Đã từ chối “${branch.coop.name}”` }).waitFor();
      });
    });
  }

  /** staffToken signs Hà Nội's trade staff in for API checks. */
  async function staffToken() {
    return api('POST', '/auth/login', { client: 'api', login: 'xuctien.hanoi@demo.htxmarket.vn', password: 'Chợ phiên HTX 2025' });
  }

  test('an administrator manages users, reads the audit log, edits synonyms and filters cooperatives (desktop)', async (t) => {
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await signIn(page, 'quantri@demo.htxmarket.vn');
      // Administrators land on the administration.
      await page.waitForURL('**/quan-tri');
      await page.getByTestId('admin-home').waitFor();
      await screenshot(page, 'admin-home-desktop');
      await page.getByTestId('admin-home-users').click();
      await page.waitForURL('**/quan-tri/nguoi-dung');

      // Find the demo shopper and make her Hà Nội trade staff.
      await page.getByLabel('Tìm theo tên, email hoặc số điện thoại').fill('nguoimua');
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      await page.waitForURL(/\/quan-tri\/nguoi-dung\?q=nguoimua$/);
      // The search's answer replaces the newest accounts: one, hers.
      await page.waitForFunction(() => {
        const items = document.querySelectorAll('[data-testid="user-item"]');
        return items.length === 1 && items[0]?.getAttribute('data-email') === 'nguoimua@demo.htxmarket.vn';
      });
      const user = page.getByTestId('user-item').filter({ hasText: 'Nguyễn Thu Hà' });
      await user.getByTestId('change-roles').click();
      await user.getByTestId('add-role').selectOption('trade_staff');
      await user.getByTestId('role-province').selectOption('ha-noi');
      await user.getByTestId('grant-role').click();
      const confirm = user.getByTestId('role-confirm');
      await confirm.filter({ hasText: 'Cấp vai trò Cán bộ xúc tiến (Hà Nội) cho Nguyễn Thu Hà?' }).waitFor();
      await confirm.getByTestId('role-confirm-yes').click();
      await user.getByTestId('form-success').filter({ hasText: 'Đã cấp vai trò Cán bộ xúc tiến cho Nguyễn Thu Hà.' }).waitFor();
      await user.locator('[data-role="trade_staff"]').filter({ hasText: 'Hà Nội' }).waitFor();
      await screenshot(page, 'admin-users-desktop');

      // The audit log of that person: the grant, by the administrator.
      await user.getByTestId('user-audit').click();
      await page.waitForURL(/\/quan-tri\/nhat-ky\?nguoi=[0-9a-f-]{36}$/);
      await page.getByTestId('audit-subject').filter({ hasText: 'Nguyễn Thu Hà' }).waitFor();
      const first = page.getByTestId('audit-entry').first();
      await first.waitFor();
      assert.equal(await first.getAttribute('data-action'), 'role.grant');
      await first.filter({ hasText: 'Hoàng Quốc Việt' }).waitFor();
      assert.match(await first.innerText(), /vai trò: Cán bộ xúc tiến · tỉnh: Hà Nội/);
      await screenshot(page, 'admin-audit-desktop');
      // Every entry of one action, for everyone.
      await page.getByRole('link', { name: 'Bỏ lọc người' }).click();
      await page.getByTestId('audit-action').selectOption('user.create');
      await page.waitForURL(/\/quan-tri\/nhat-ky\?thao-tac=user\.create$/);
      // The demo's eight accounts and the applicants, and nothing else.
      await page.waitForFunction(() => {
        const items = [...document.querySelectorAll('[data-testid="audit-entry"]')];
        return items.length >= 8 && items.every((e) => e.getAttribute('data-action') === 'user.create');
      });
      await page.getByTestId('audit-entry').filter({ hasText: 'Tạo tài khoản' }).first().waitFor();

      // Synonyms: add a group, then delete it after confirming.
      await page.getByTestId('admin-nav-synonyms').click();
      await page.getByTestId('synonym-group').first().waitFor();
      await page.getByLabel(/Nhóm từ mới/).fill('bơ sáp, bơ 034, , bơ sáp');
      await page.getByRole('button', { name: 'Thêm nhóm' }).click();
      await page.getByTestId('form-success').filter({ hasText: 'Đã thêm nhóm “bơ sáp, bơ 034”.' }).waitFor();
      const group = page.getByTestId('synonym-group').filter({ hasText: 'bơ 034' });
      await group.getByTestId('synonym-delete').click();
      await group.getByTestId('synonym-confirm-yes').click();
      await page.getByTestId('form-success').filter({ hasText: 'Đã xóa nhóm' }).waitFor();
      assert.equal(await page.getByTestId('synonym-group').filter({ hasText: 'bơ 034' }).count(), 0);

      // Every cooperative, by status, province and text.
      await page.getByTestId('admin-nav-coops').click();
      await page.getByTestId('admin-coop').first().waitFor();
      await page.getByLabel('Trạng thái').selectOption('verified');
      await page.getByLabel('Tỉnh, thành phố').selectOption('ha-noi');
      await page.getByLabel('Tên hoặc mã số HTX').fill('nong nghiep dien');
      await page.getByRole('button', { name: 'Lọc', exact: true }).click();
      await page.waitForURL(/trang-thai=verified.*tinh=ha-noi.*q=nong/);
      // The filtered list replaces the whole one: only verified Hà Nội cooperatives named like Diễn.
      await page.waitForFunction(() => {
        const items = [...document.querySelectorAll('[data-testid="admin-coop"]')];
        return (
          items.length > 0 &&
          items.every((e) => e.getAttribute('data-status') === 'verified' && /Diễn/.test(e.textContent ?? '')) &&
          items.some((e) => e.getAttribute('data-slug') === 'htx-nong-nghiep-dien')
        );
      });
      await screenshot(page, 'admin-cooperatives-desktop');
      await page.getByLabel('Tên hoặc mã số HTX').fill('không có hợp tác xã này');
      await page.getByRole('button', { name: 'Lọc', exact: true }).click();
      await page.getByTestId('coops-empty').waitFor();
    });
  });

  test('the administration on a phone', async (t) => {
    const page = await browser.newPage(phone);
    await withScreenshot(t, page, async () => {
      await signIn(page, 'quantri@demo.htxmarket.vn');
      await page.waitForURL('**/quan-tri');
      // The account menu leads to the administration and the review queue.
      await page.getByTestId('nav-account-menu').click();
      await page.getByTestId('nav-menu-review').waitFor();
      await page.getByTestId('nav-admin').click();
      await page.getByTestId('admin-home').waitFor();
      for (const [nav, ready, shot] of [
        ['admin-nav-users', 'user-item', 'admin-users-phone'],
        ['admin-nav-audit', 'audit-entry', 'admin-audit-phone'],
        ['admin-nav-synonyms', 'synonym-group', 'admin-synonyms-phone'],
        ['admin-nav-coops', 'admin-coop', 'admin-cooperatives-phone'],
      ]) {
        await page.getByTestId(nav).click();
        await page.getByTestId(ready).first().waitFor();
        await noSidewaysScroll(page);
        await screenshot(page, shot);
      }
      // Pages of users follow one another: 20, then the rest, none twice.
      for (let n = 0; n < 10; n++) {
        await api('POST', '/auth/register', {
          client: 'api',
          email: `khach.${n}.${process.pid}@example.vn`,
          password: 'vai-thieu-Luc-Ngan-2025',
          full_name: `Khách hàng số ${n}`,
        });
      }
      await page.getByTestId('admin-nav-users').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-item"]').length === 20);
      await page.getByTestId('load-more').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-item"]').length > 20);
      const emails = await page.getByTestId('user-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-email')));
      assert.equal(new Set(emails).size, emails.length, 'an account listed twice');
      assert.ok(emails.includes('nguoimua@demo.htxmarket.vn') && emails.includes(`khach.9.${process.pid}@example.vn`));
      // And the audit log's.
      await page.getByTestId('admin-nav-audit').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-entry"]').length === 20);
      await page.getByTestId('load-more').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-entry"]').length > 20);
    });
  });

  for (const size of sizes) {
    test(`people land where their work is (${size.name})`, async (t) => {
      const page = await browser.newPage(size.options);
      await withScreenshot(t, page, async () => {
        // A manager lands on their cooperative's dashboard.
        await signIn(page, 'quanly@demo.htxmarket.vn');
        await page.waitForURL('**/quan-ly/htx-nong-nghiep-dien');
        // Not an administrator: the administration says so.
        await page.goto('/quan-tri/nguoi-dung');
        await page.getByTestId('admin-forbidden').filter({ hasText: 'Bạn không có quyền vào trang này' }).waitFor();
        assert.equal(await page.getByTestId('user-item').count(), 0);
        await screenshot(page, `admin-forbidden-${size.name}`);

        // A shopper goes back to the page they logged in from.
        const shopperEmail = `nguoi.mua.${size.name}.${process.pid}@example.vn`;
        await api('POST', '/auth/register', { client: 'api', email: shopperEmail, password: 'gao-ST25-Soc-Trang', full_name: 'Lý Thị Hồng' });
        const shopper = await browser.newPage(size.options);
        await shopper.goto('/hop-tac-xa');
        await shopper.getByTestId('footer-register-coop').waitFor();
        if (size.name === 'desktop') await shopper.getByTestId('header-register-coop').waitFor();
        await shopper.getByTestId('nav-login').click();
        await shopper.getByLabel('Email hoặc số điện thoại').fill(shopperEmail);
        await shopper.getByLabel('Mật khẩu', { exact: true }).fill('gao-ST25-Soc-Trang');
        await shopper.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
        await shopper.getByTestId('nav-account').waitFor();
        await shopper.waitForURL('**/hop-tac-xa');
        // The link to register a cooperative, from the header or the footer.
        if (size.name === 'desktop') {
          await shopper.getByTestId('header-register-coop').click();
        } else {
          await shopper.getByTestId('nav-account-menu').click();
          await shopper.getByTestId('nav-menu-register-coop').click();
        }
        await shopper.waitForURL('**/dang-ky-hop-tac-xa');
        await shopper.locator('h1', { hasText: 'Đăng ký hợp tác xã' }).waitFor();
        await shopper.goto('/quan-tri');
        await shopper.getByTestId('admin-forbidden').waitFor();
        if (size.name === 'phone') await noSidewaysScroll(shopper);
      });
    });
  }

  test('a verified cooperative\'s new name waits for review, shown old → new (desktop)', async (t) => {
    const manager = await api('POST', '/auth/login', { client: 'api', login: 'quanly@demo.htxmarket.vn', password: 'Chợ phiên HTX 2025' });
    await api('PATCH', '/cooperatives/htx-nong-nghiep-dien', { name: 'HTX Nông nghiệp Diễn Sạch' }, manager.token);
    const page = await browser.newPage();
    await withScreenshot(t, page, async () => {
      await signIn(page, 'xuctien.hanoi@demo.htxmarket.vn');
      await page.waitForURL('**/duyet-hop-tac-xa');
      const item = page.locator('[data-testid="review-item"][data-slug="htx-nong-nghiep-dien"]');
      const changes = item.getByTestId('review-changes');
      await changes.waitFor();
      const row = changes.locator('tbody tr');
      assert.equal(await row.count(), 1);
      assert.deepEqual(await row.first().locator('th, td').allInnerTexts(), ['Tên hợp tác xã', 'HTX Nông nghiệp Diễn', '→ HTX Nông nghiệp Diễn Sạch']);
      await item.scrollIntoViewIfNeeded();
      await screenshot(page, 'admin-review-changes-desktop');
      await item.getByRole('button', { name: 'Duyệt thay đổi' }).click();
      await item.getByTestId('verify-confirm').filter({ hasText: 'Áp dụng các thay đổi' }).waitFor();
      await item.getByTestId('verify-confirm-yes').click();
      await page.getByTestId('review-result').filter({ hasText: 'Đã duyệt thay đổi của “HTX Nông nghiệp Diễn Sạch”' }).waitFor();
      await item.waitFor({ state: 'detached' });
    });
  });
});
