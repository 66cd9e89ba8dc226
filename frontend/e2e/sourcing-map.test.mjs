// The map of a request's matches, on a desktop and on a phone: two demo
// cooperatives in different provinces (Hà Nội, An Giang) offer jackfruit,
// the demo wholesaler asks for it delivered to Đà Nẵng; on the request page
// the buyer switches from the list to the map and finds a marker per
// province with matched offers, the delivery pin, markers in the right
// places and sized by quantity, and reaches them with the keyboard, each
// announcing its cooperatives, quantities, scores and distance.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noSidewaysScroll, openBrowser, phone, screenshot, signIn, startServer, withScreenshot } from './harness.mjs';

const diễn = { slug: 'htx-nong-nghiep-dien', name: 'HTX Nông nghiệp Diễn', manager: 'quanly@demo.htxmarket.vn', province: 'ha-noi' };
const châuĐốc = { slug: 'htx-mam-chau-doc', name: 'HTX Mắm Châu Đốc', manager: 'quanly2@demo.htxmarket.vn', province: 'an-giang' };
const wholesaler = 'daily@demo.htxmarket.vn';
const delivery = 'da-nang';

const sizes = [
  { tag: 'desktop', options: {} },
  { tag: 'phone', options: phone },
];

function inDays(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

/** api calls the JSON API from a signed-in page, with its CSRF token, and fails on an error status. */
async function api(page, method, path, body) {
  const res = await page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie.match(/(?:^|;\s*)htx_csrf=([^;]+)/)?.[1] ?? '';
      const r = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.text() };
    },
    { method, path, body },
  );
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

const qty = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 3 });
const score = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** centre returns the middle of an element's box on the screen. */
async function centre(locator) {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element has no box on the screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, width: box.width };
}

describe('sourcing map', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {Awaited<ReturnType<typeof openBrowser>>} */
  let browser;
  let requestPath = '';

  before(async () => {
    server = await startServer({ seed: true });
    browser = await openBrowser({ baseURL: server.baseURL });
    // Two cooperatives of different provinces offer jackfruit all year round,
    // one four times as much as the other.
    for (const [coop, quantity] of [
      [diễn, 12],
      [châuĐốc, 3],
    ]) {
      const page = await browser.newPage();
      await signIn(page, coop.manager);
      await api(page, 'POST', '/sourcing/offers', {
        cooperative: coop.slug,
        text: 'Mít Thái ruột đỏ',
        quantity,
        unit: 'tấn',
        min_quantity: 0.5,
        unit_price_vnd: 25_000_000,
      });
      await page.close();
    }
    const buyer = await browser.newPage();
    await signIn(buyer, wholesaler);
    const r = await api(buyer, 'POST', '/sourcing/requests', {
      text: 'Mít Thái',
      quantity: 10,
      unit: 'tấn',
      province: delivery,
      wanted_to: inDays(30),
    });
    requestPath = `/nguon-hang/yeu-cau/${r.id}`;
    await buyer.close();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const size of sizes) {
    test(`the matches on a map, reachable by keyboard (${size.tag})`, async (t) => {
      const page = await browser.newPage(size.options);
      await withScreenshot(t, page, async () => {
        await signIn(page, wholesaler);
        await page.goto(requestPath);
        // The list by province comes first; the switch turns it into the map.
        await page.getByTestId('match').first().waitFor();
        const { matches } = await api(page, 'GET', `/sourcing/requests/${requestPath.split('/').pop()}/matches`);
        const provinces = new Set(matches.map((m) => m.offer.province));
        assert.ok(provinces.has(diễn.province) && provinces.has(châuĐốc.province), `matched provinces: ${[...provinces]}`);
        await page.getByRole('button', { name: 'Bản đồ' }).click();
        const map = page.getByTestId('match-map');
        await map.waitFor();
        assert.equal(await page.getByTestId('match').count(), 0, 'the list gives way to the map');

        // A marker per province with matched offers, and the delivery pin.
        const markers = map.getByTestId('map-marker');
        assert.equal(await markers.count(), provinces.size);
        for (const p of provinces) assert.equal(await map.locator(`[data-testid="map-marker"][data-province="${p}"]`).count(), 1, p);
        const pin = map.getByTestId('map-delivery');
        assert.equal(await pin.getAttribute('data-province'), delivery);
        assert.equal(await pin.getAttribute('aria-label'), 'Nơi giao hàng: Đà Nẵng');

        // Each marker names its offers: cooperative, quantity, score, distance.
        for (const m of matches) {
          const label = (await map.locator(`[data-testid="map-marker"][data-province="${m.offer.province}"]`).getAttribute('aria-label')) ?? '';
          for (const part of [m.cooperative.name, `${qty.format(m.quantity)} tấn`, `điểm ${score.format(m.score)}`, `cách ${Math.round(m.distance_km)} km`]) {
            assert.ok(label.includes(part), `label ${JSON.stringify(label)} lacks ${JSON.stringify(part)}`);
          }
        }

        // North above south: Hà Nội above the Đà Nẵng pin above An Giang; the
        // larger offer has the larger marker.
        const hn = map.locator(`[data-testid="map-marker"][data-province="${diễn.province}"] .match-map__dot`);
        const ag = map.locator(`[data-testid="map-marker"][data-province="${châuĐốc.province}"] .match-map__dot`);
        const [north, pinAt, south] = [await centre(hn), await centre(pin), await centre(ag)];
        assert.ok(north.y < pinAt.y && pinAt.y < south.y, `Hà Nội ${north.y}, Đà Nẵng ${pinAt.y}, An Giang ${south.y}`);
        assert.ok(south.x < pinAt.x, `An Giang (${south.x}) lies west of Đà Nẵng (${pinAt.x})`);
        assert.ok(north.width > south.width, `12 tấn (${north.width}px) drawn larger than 3 tấn (${south.width}px)`);

        // The keyboard reaches every marker; the focused one says what it is
        // and shows its province's offers beside the map.
        await markers.first().focus();
        const seen = new Set();
        for (let i = 0; i < provinces.size; i++) {
          if (i > 0) await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => ({
            testId: document.activeElement?.getAttribute('data-testid'),
            province: document.activeElement?.getAttribute('data-province'),
            label: document.activeElement?.getAttribute('aria-label') ?? '',
          }));
          assert.equal(focused.testId, 'map-marker');
          assert.match(focused.label, /^(HTX .+, [\d,]+ tấn, điểm \d,\d\d, cách \d+ km \(từ .+\)|\d+ hợp tác xã ở .+, cách \d+ km: HTX .+)$/);
          seen.add(focused.province);
          const coops = matches.filter((m) => m.offer.province === focused.province).map((m) => m.cooperative.name);
          const detail = map.getByTestId('map-detail');
          for (const name of coops) assert.match((await detail.textContent()) ?? '', new RegExp(name));
        }
        assert.deepEqual([...seen].sort(), [...provinces].sort());
        const keyboardFocus = await screenshot(page, `sourcing-map-${size.tag}`);
        assert.ok(keyboardFocus);

        // A tap or click chooses a marker too.
        await map.locator(`[data-testid="map-marker"][data-province="${châuĐốc.province}"]`).click();
        assert.match((await map.getByTestId('map-detail').textContent()) ?? '', new RegExp(châuĐốc.name));
        assert.equal(await map.getByTestId('map-legend').getByRole('listitem').count(), 7);
        await noSidewaysScroll(page);
        const svg = await map.locator('svg.match-map__svg').boundingBox();
        const viewport = page.viewportSize();
        assert.ok(svg && viewport && svg.x >= 0 && svg.x + svg.width <= viewport.width, `map ${JSON.stringify(svg)} fits ${viewport?.width}px`);

        // And back to the list.
        await page.getByRole('button', { name: 'Danh sách' }).click();
        await page.getByTestId('match').first().waitFor();
        assert.equal(await map.count(), 0);
        assert.deepEqual(page.errors, []);
      });
      await page.close();
    });
  }
});
