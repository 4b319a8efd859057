// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON and element state
// The ai-insights elements in headless Chromium against a real kernel: sixteen weeks of issues are
// posted to warehouses, and <insights-forecast> draws that history, the forecast and its interval
// (checked against the API's own figures); a reorder suggestion is accepted from the element and
// lands in warehouses' reorder points; <insights-queues> shows its tables; axe-core finds no
// serious or critical violation.
import { join } from 'node:path';
import { hasChromium, launch, type PluginKernel, startPluginKernel } from '@erp/plugin-testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { mountElement, shellPage } from './support/page.js';
import { ARTIFACTS, pluginDir } from './support/paths.js';

const okJson = async (p: Promise<{ status: number; json: any }>, status = 201) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  return r.json;
};

// One week's issue is ten times the usual: the anomaly queue must show it.
const DEMAND = [18, 22, 19, 21, 20, 23, 17, 200, 22, 18, 21, 19, 20, 24, 16, 20];

/** Monday noon (UTC) of the week `back` weeks before the current one. */
function weeksAgo(back: number): string {
  const now = new Date();
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = day - ((now.getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday - back * 7 * 86_400_000 + 12 * 3_600_000).toISOString();
}

describe.skipIf(!hasChromium)('ai-insights elements in Chromium (skipped: /usr/bin/chromium missing)', () => {
  let kernel: PluginKernel;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const world: Record<string, string> = {};

  beforeAll(async () => {
    [kernel, browser] = await Promise.all([
      startPluginKernel({
        pluginDirs: [pluginDir('warehouses'), pluginDir('ai-insights')],
        tenants: 1,
        install: ['@erp-plugin/warehouses', '@erp-plugin/ai-insights'],
      }),
      launch(),
    ]);
    const t = kernel.tenants[0]!;
    const wh = t.plugin('warehouses');
    const w = await okJson(wh.post('/warehouses', { code: 'MAIN', name: 'Main' }));
    const l = await okJson(wh.post('/locations', { warehouseId: w.id, code: 'STOCK', name: 'Stock' }));
    const item = await okJson(wh.post('/items', { sku: 'BOLT', name: 'Bolt', uom: 'EA' }));
    // The same bolt entered again under another SKU: the duplicate queue must pair them.
    await okJson(wh.post('/items', { sku: 'BOLT-NEW', name: 'bolt.', uom: 'EA' }));
    Object.assign(world, { warehouse: w.id, item: item.id });
    await okJson(
      wh.post('/receipts', {
        effectiveAt: weeksAgo(DEMAND.length + 2),
        supplier: 'ACME',
        lines: [{ itemId: item.id, locationId: l.id, qty: '1000', unitCost: '2' }],
      }),
    );
    for (let i = 0; i < DEMAND.length; i++) {
      await okJson(
        wh.post('/issues', {
          effectiveAt: weeksAgo(DEMAND.length - i),
          lines: [{ itemId: item.id, locationId: l.id, qty: String(DEMAND[i]) }],
        }),
      );
    }
    const insights = t.plugin('ai-insights');
    // ai-insights learns the moves from warehouses' events: wait until it has them all.
    for (let tries = 0; ; tries++) {
      const h = await insights.get(`/history?itemId=${item.id}&warehouseId=${w.id}`);
      if (h.json?.issues === DEMAND.length) break;
      if (tries > 200) throw new Error(`ai-insights has ${JSON.stringify(h.json)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const me = await okJson(t.api.get('/api/v1/auth/me'), 200);
    const manifest = await okJson(t.api.get('/api/v1/ui/manifest'), 200);
    const modules = manifest.plugins.map((p: any) => p.module);
    expect(modules).toContain('/plugins/ai-insights/0.1.0/ai-insights.js');
    ({ page, errors } = await shellPage(browser, kernel.url, t.token, me, modules));
  });
  afterAll(async () => {
    await browser?.close();
    await kernel?.close();
  });

  it('draws history, forecast and interval, and accepts a reorder suggestion into warehouses', async () => {
    // Opened from the navigation, with nothing chosen: the user picks the item and the warehouse.
    const el = await mountElement(page, 'insights-forecast');
    await expect.poll(() => el.getByLabel('Item', { exact: true }).locator('option').count()).toBe(3);
    await el.getByLabel('Item', { exact: true }).selectOption({ label: 'BOLT — Bolt' });
    await el.getByLabel('Warehouse', { exact: true }).selectOption({ label: 'MAIN — Main' });
    await expect.poll(() => el.getAttribute('data-state')).toBe('ready');
    const drawn = await el.evaluate((e: any) => e.drawn);
    const api = await okJson(
      kernel.tenants[0]!.plugin('ai-insights').get(
        `/forecast?itemId=${world.item}&warehouseId=${world.warehouse}`,
      ),
      200,
    );
    const H = api.forecast.length;
    expect(drawn.labels).toEqual([
      ...api.history.map((h: any) => h.periodStart),
      ...api.forecast.map((f: any) => f.periodStart),
    ]);
    const byLabel = Object.fromEntries(drawn.datasets.map((d: any) => [d.label, d.data]));
    expect(byLabel.Demand.slice(0, DEMAND.length)).toEqual(DEMAND);
    expect(byLabel.Forecast.slice(-H)).toEqual(api.forecast.map((f: any) => Number(f.point)));
    expect(byLabel['80% interval'].slice(-H)).toEqual(api.forecast.map((f: any) => Number(f.upper)));
    expect(byLabel['80% interval (low)'].slice(-H)).toEqual(api.forecast.map((f: any) => Number(f.lower)));
    await expect.poll(() => el.locator('[part=model]').textContent()).toMatch(/v1 .*MASE/s);
    await el.getByRole('button', { name: 'Suggest reorder point' }).click();
    await expect.poll(() => el.locator('[part=suggestion]').textContent()).toMatch(/Reorder at/);
    expect(await seriousViolations(page)).toEqual([]);
    await el.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => el.locator('[part=suggestion]').textContent()).toMatch(/accepted/);
    const points = await okJson(
      kernel.tenants[0]!.plugin('warehouses').get(`/reorder-points?itemId=${world.item}`),
      200,
    );
    expect(points.reorderPoints).toHaveLength(1);
    await page.screenshot({ path: join(ARTIFACTS, 'insights-forecast.png'), fullPage: true });
  });

  it('shows the anomaly and duplicate queues', async () => {
    const el = await mountElement(page, 'insights-queues');
    await expect.poll(() => el.getAttribute('data-state')).toBe('ready');
    const unusual = el.getByRole('table', { name: 'Unusual records' });
    await expect.poll(() => unusual.getByRole('row').count()).toBe(2);
    expect(await unusual.getByRole('row').nth(1).textContent()).toMatch(/issue BOLT.*qty 200 \(usual 20/s);
    await expect.poll(() => el.getByText('No duplicate partners.').count()).toBe(1);
    const items = el.getByRole('table', { name: 'Possible duplicate items' });
    await expect.poll(() => items.getByRole('row').count()).toBe(2);
    expect(await items.getByRole('row').nth(1).textContent()).toMatch(
      /BOLT.*BOLT-NEW.*100%.*merge BOLT-NEW into the older BOLT/s,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'insights-queues.png'), fullPage: true });
    await unusual.getByRole('button', { name: 'Not an anomaly' }).click();
    await expect.poll(() => el.getByText('Nothing unusual.').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
