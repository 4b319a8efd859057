// biome-ignore-all lint/suspicious/noExplicitAny: reads the element's state in the page
// The valuation report element in headless Chromium: loaded from the module URL the kernel's UI
// manifest gives, on a minimal page served from the kernel's origin, with an `api` function that
// adds a bearer token (an API key that may only read valuations), rendering real data from the API
// as a table and two Chart.js charts.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorld, costed, type Env, newItem, ok, receive } from '../support/world.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browser(env: () => Env) {
  describe.skipIf(!existsSync(CHROMIUM))(`valuation report element in Chromium (needs ${CHROMIUM})`, () => {
    let b: Browser | undefined;
    afterAll(async () => b?.close());

    it('renders the valuation table and charts from the API', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const cheap = await newItem(a);
      const dear = await newItem(a, { method: 'average' });
      const moves = await receive(a, '2025-03-01T00:00:00Z', [
        { itemId: cheap, locationId: w.location, qty: '4', unitCost: '2.5' },
        { itemId: dear, locationId: w.location2, qty: '3', unitCost: '40' },
      ]);
      await costed(e, a, cheap, [moves[0]!]);
      await costed(e, a, dear, [moves[1]!]);
      const report = await ok(a.costing.get('/valuation'));
      const key = await ok(
        a.api.post('/api/v1/iam/api-keys', { name: 'ui test', permissions: ['costing.valuation.read'] }),
        201,
      );
      const ui = await ok(a.api.get('/api/v1/ui/manifest'));
      const costing = ui.plugins.find((p: { plugin: string }) => p.plugin === 'costing');
      expect(costing.elements).toContain('costing-valuation-report');
      expect(costing.navigation).toEqual([
        { label: 'Stock valuation', path: '/costing/valuation', element: 'costing-valuation-report' },
      ]);

      const base = await e.kit.listen();
      b = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      const page = await b.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.route(`${base}/test-page`, (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><html><body>
            <costing-valuation-report></costing-valuation-report>
            <script type="module">
              await import(${JSON.stringify(costing.module)});
              const token = ${JSON.stringify(key.token)};
              document.querySelector('costing-valuation-report').api = (path, init = {}) =>
                fetch(path, { ...init, headers: { ...(init.headers ?? {}), authorization: 'Bearer ' + token } });
            </script></body></html>`,
        }),
      );
      await page.goto(`${base}/test-page`);
      const element = page.locator('costing-valuation-report');
      await expect.poll(() => element.getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');

      const rows = await element
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(rows).toHaveLength(report.rows.length);
      const bySku = (sku: string) => rows.find((r) => r[0] === sku);
      const skuOf = (id: string) => report.rows.find((r: { itemId: string }) => r.itemId === id).sku;
      expect(bySku(skuOf(cheap))).toEqual([
        skuOf(cheap),
        `${w.warehouse.slice(0, 8)}…`,
        'fifo',
        '4',
        '10',
        '2.5',
        '0',
      ]);
      expect(bySku(skuOf(dear))).toEqual([
        skuOf(dear),
        `${w.warehouse2.slice(0, 8)}…`,
        'average',
        '3',
        '120',
        '40',
        '0',
      ]);
      // The bar chart (Chart.js) draws the value per item; the line chart the value over time.
      const drawn = await element.evaluate((e: any) => e.drawn);
      const bySkuBar = Object.fromEntries(
        drawn.byItem.labels.map((l: string, i: number) => [l, drawn.byItem.data[i]]),
      );
      expect(bySkuBar).toMatchObject({ [skuOf(cheap)]: 10, [skuOf(dear)]: 120 });
      expect(drawn.byItem.labels).toHaveLength(new Set(report.rows.map((r: any) => r.sku)).size);
      expect(drawn.overTime.data.at(-1)).toBe(Number(report.totalValue));
      expect(drawn.axes).toEqual(['Date', 'Value', 'Item', 'Value']);
      await expect
        .poll(() => element.locator('[part=total]').textContent())
        .toContain(`Total value ${report.totalValue}`);
      if (process.env.COSTING_SCREENSHOT)
        await page.screenshot({ path: process.env.COSTING_SCREENSHOT, fullPage: true });
      expect(errors).toEqual([]);
    });
  });
}
