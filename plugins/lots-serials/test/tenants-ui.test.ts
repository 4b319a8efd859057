// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Two tenants with warehouses and lots-serials on one kernel and database: lots, serials, traces
// and recalls stay within their tenant even with equal codes; issue 14's cases (cases/issue14.ts).
// And <lots-serials-trace> renders a real trace from the API in headless Chromium.
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from './cases/deliveries.js';
import { issue14, type Side } from './cases/issue14.js';
import { hasChromium, launch, mount } from './support/browser.js';
import { type RunningKernel, startKernel } from './support/kernel.js';
import { ok } from './support/setup.js';

let kernel: RunningKernel;
type Tenant = RunningKernel['tenants'][number];
type Seeded = Awaited<ReturnType<typeof seed>>;
let a: Seeded;
let b: Seeded;

beforeAll(async () => {
  kernel = await startKernel({
    pluginDirs: [
      fileURLToPath(new URL('..', import.meta.url)),
      fileURLToPath(new URL('../../warehouses', import.meta.url)),
    ],
    tenants: 2,
    install: ['@erp-plugin/warehouses', '@erp-plugin/lots-serials'],
  });
  a = await seed(kernel.tenants[0]!, 'Alice');
  b = await seed(kernel.tenants[1]!, 'Bob');
});
afterAll(async () => kernel?.close());

/** The same codes in each tenant: warehouse MAIN, bin A1, lot item CHEESE lot K-1, serial item SAW serial X-1. */
async function seed(t: Tenant, customer: string) {
  const wh = t.plugin('warehouses');
  const w = await ok(wh.post('/warehouses', { code: 'MAIN', name: 'Main' }));
  const a1 = await ok(wh.post('/locations', { warehouseId: w.id, code: 'A1', name: 'A1', kind: 'bin' }));
  const cheese = await ok(
    wh.post('/items', { sku: 'CHEESE', name: 'Cheese', uom: 'KG', qtyScale: 3, tracking: 'lot' }),
  );
  const saw = await ok(wh.post('/items', { sku: 'SAW', name: 'Saw', uom: 'EA', tracking: 'serial' }));
  await ok(
    wh.post('/receipts', {
      supplier: `${customer} supplier`,
      reference: 'PO-1',
      lines: [
        { itemId: cheese.id, locationId: a1.id, qty: '12.5', lot: 'K-1', lotExpiresOn: '2031-05-01' },
        { itemId: cheese.id, locationId: a1.id, qty: '1', lot: 'K-OLD', lotExpiresOn: '2020-01-01' },
        { itemId: saw.id, locationId: a1.id, qty: '1', serials: ['X-1'] },
      ],
    }),
  );
  await ok(
    wh.post('/issues', {
      customer,
      reference: 'SO-1',
      lines: [{ itemId: cheese.id, locationId: a1.id, qty: '2.5', lot: 'K-1' }],
    }),
  );
  const ls = t.plugin('lots-serials');
  let trace: any;
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    trace = await ls.get(`/trace/lots/${cheese.id}/K-1`);
    const old = await ls.get(`/lots/${cheese.id}/K-OLD`);
    if (trace.status === 200 && trace.json.moves.length === 2 && old.status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(trace.json.moves).toHaveLength(2);
  return { cheese: cheese.id, saw: saw.id, a1: a1.id };
}

describe('tenants', () => {
  it('keeps lots, serials, traces and recalls within their tenant', async () => {
    const [ta, tb] = kernel.tenants as [Tenant, Tenant];
    const la = ta.plugin('lots-serials');
    const lb = tb.plugin('lots-serials');
    expect(
      (await ok(la.get(`/trace/lots/${a.cheese}/K-1`), 200)).customers.map((c: any) => c.customer),
    ).toEqual(['Alice']);
    expect(
      (await ok(lb.get(`/trace/lots/${b.cheese}/K-1`), 200)).customers.map((c: any) => c.customer),
    ).toEqual(['Bob']);
    // Another tenant's item id finds nothing, however it is asked.
    expect((await lb.get(`/trace/lots/${a.cheese}/K-1`)).status).toBe(404);
    expect((await lb.get(`/trace/serials/${a.saw}/X-1`)).status).toBe(404);
    expect((await ok(lb.get(`/lots?itemId=${a.cheese}`), 200)).lots).toEqual([]);
    expect((await ok(lb.get('/serials'), 200)).serials.map((s: any) => s.itemId)).toEqual([b.saw]);
    const foreignRecall = await lb.post('/recalls', { itemId: a.cheese, lots: ['K-1'], reason: 'x' });
    expect(foreignRecall.json.code).toBe('LOTS_SERIALS_LOT_UNKNOWN');
    await ok(lb.post('/recalls', { itemId: b.cheese, lots: ['K-1'], reason: 'Mould' }));
    expect((await ok(la.get(`/lots/${a.cheese}/K-1`), 200)).status).toBe('active');
    expect((await ok(la.get('/recalls'), 200)).recalls).toEqual([]);
  });
});

const side = (t: Tenant): Side => ({ client: t.plugin('lots-serials'), api: t.api });
issue14(() => ({ a: side(kernel.tenants[0]!), b: side(kernel.tenants[1]!) }));
deliveries(() => ({
  a: side(kernel.tenants[0]!),
  b: side(kernel.tenants[1]!),
  url: kernel.url,
  owner: kernel.owner,
}));

describe.skipIf(!hasChromium)(
  'web component in headless Chromium (skipped: /usr/bin/chromium missing)',
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launch();
    });
    afterAll(async () => browser?.close());

    it('renders a lot trace and a serial trace from the API', async () => {
      const [ta] = kernel.tenants as [Tenant];
      const manifest = await ok(ta.api.get('/api/v1/ui/manifest'), 200);
      const ui = manifest.plugins.find((p: any) => p.plugin === 'lots-serials');
      expect(ui.elements).toEqual(['lots-serials-trace']);
      const page = await mount(browser, kernel.url, ta.token, ui.module, 'lots-serials-trace', {
        'item-id': a.cheese,
        lot: 'K-1',
      });
      const trace = page.locator('lots-serials-trace');
      await expect.poll(() => trace.locator('[part=moves] tbody tr').count()).toBe(2);
      expect(await trace.locator('h3').textContent()).toBe('Lot K-1 of CHEESE');
      expect(await trace.locator('[part=suppliers] tbody td').allTextContents()).toEqual(
        expect.arrayContaining(['Alice supplier', 'PO-1', '12.5']),
      );
      expect(await trace.locator('[part=customers] tbody td').allTextContents()).toEqual([
        'Alice',
        '2.5',
        '0',
        '2.5',
      ]);
      expect(await trace.locator('[part=summary] dd').allTextContents()).toEqual([
        '2031-05-01',
        'ok',
        'active',
        '10',
      ]);
      // An expired lot is flagged, with the date it expired.
      const oldPage = await mount(browser, kernel.url, ta.token, ui.module, 'lots-serials-trace', {
        'item-id': a.cheese,
        lot: 'K-OLD',
      });
      const old = oldPage.locator('lots-serials-trace');
      await expect.poll(() => old.locator('[part=moves] tbody tr').count()).toBe(1);
      expect(await old.locator('h3').getAttribute('data-expiry')).toBe('expired');
      expect(await old.locator('[part=summary] dd').nth(1).textContent()).toBe('expired since 2020-01-01');

      const serialPage = await mount(browser, kernel.url, ta.token, ui.module, 'lots-serials-trace', {
        'item-id': a.saw,
        serial: 'X-1',
      });
      const serial = serialPage.locator('lots-serials-trace');
      await expect.poll(() => serial.locator('[part=moves] tbody tr').count()).toBe(1);
      expect(await serial.locator('[part=summary] dd').allTextContents()).toEqual(
        expect.arrayContaining(['yes', 'Alice supplier']),
      );
    });
  },
);
