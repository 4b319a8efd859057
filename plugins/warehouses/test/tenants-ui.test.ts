// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Two tenants on one kernel and database: each sees only its own items, stock, moves and events,
// even with the same SKUs and serial numbers. Below the API, the ledger refuses UPDATE and DELETE.
// And the web components render real data from the API in headless Chromium.
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, mount } from './support/browser.js';
import { type RunningKernel, startKernel } from './support/kernel.js';
import { ok } from './support/setup.js';

let kernel: RunningKernel;
let sa: Awaited<ReturnType<typeof seed>>;
beforeAll(async () => {
  kernel = await startKernel({
    pluginDirs: [fileURLToPath(new URL('..', import.meta.url))],
    tenants: 2,
    install: ['@erp-plugin/warehouses'],
  });
  sa = await seed(kernel.tenants[0]!);
});
afterAll(async () => kernel?.close());

async function seed(t: RunningKernel['tenants'][number]) {
  const c = t.plugin('warehouses');
  const w = await ok(c.post('/warehouses', { code: 'MAIN', name: 'Main' }));
  const loc = await ok(c.post('/locations', { warehouseId: w.id, code: 'A1', name: 'A1', kind: 'bin' }));
  const item = await ok(c.post('/items', { sku: 'SAME-1', name: 'Same SKU', uom: 'EA', tracking: 'serial' }));
  const receipt = await ok(
    c.post('/receipts', {
      supplier: 'ACME',
      lines: [{ itemId: item.id, locationId: loc.id, qty: '2', serials: ['S1', 'S2'], unitCost: '12.50' }],
    }),
  );
  return { w, loc, item, receipt };
}

describe('tenants', () => {
  it('keeps each tenant to its own catalogue, ledger, serials and events', async () => {
    const [a, b] = kernel.tenants as [RunningKernel['tenants'][number], RunningKernel['tenants'][number]];
    const bItem = await ok(
      b.plugin('warehouses').post('/items', { sku: 'SAME-1', name: 'Also', uom: 'EA', tracking: 'serial' }),
    );
    const bc = b.plugin('warehouses');
    expect((await ok(bc.get('/stock'), 200)).stock).toEqual([]);
    expect((await ok(bc.get('/moves'), 200)).moves).toEqual([]);
    expect((await ok(bc.get('/items'), 200)).items.map((i: any) => i.id)).toEqual([bItem.id]);
    expect((await bc.get(`/moves/${sa.receipt.moves[0].id}`)).status).toBe(404);
    const foreign = await bc.post('/issues', {
      lines: [{ itemId: sa.item.id, locationId: sa.loc.id, qty: '1', serials: ['S1'] }],
    });
    expect(foreign.json.code).toBe('WAREHOUSES_ITEM_UNKNOWN');
    // The same warehouse and location codes, and the same serial number, are free in another tenant.
    const bw = await ok(bc.post('/warehouses', { code: 'MAIN', name: 'Main' }));
    const bl = await ok(bc.post('/locations', { warehouseId: bw.id, code: 'A1', name: 'A1' }));
    await ok(
      bc.post('/receipts', { lines: [{ itemId: bItem.id, locationId: bl.id, qty: '1', serials: ['S1'] }] }),
    );
    expect((await ok(a.plugin('warehouses').get('/serials'), 200)).serials.map((s: any) => s.serial)).toEqual(
      ['S1', 'S2'],
    );
    expect((await ok(bc.get('/serials'), 200)).serials.map((s: any) => s.serial)).toEqual(['S1']);
    const eventsB = await ok(b.api.get('/api/v1/events?type=warehouses.stock.received'), 200);
    expect(eventsB.items.map((e: any) => e.payload.itemId)).toEqual([bItem.id]);
  });

  it('refuses UPDATE and DELETE on the ledger, even below the API', async () => {
    const [a] = kernel.tenants;
    const id = sa.receipt.moves[0].id;
    // The plugin's own role has lost the privilege…
    const client = await kernel.owner.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('erp.tenant_id', $1, true)`, [a!.id]);
      await client.query('set local role erp_p_warehouses');
      await expect(
        client.query('update p_warehouses.moves set qty = 99 where id = $1', [id]),
      ).rejects.toThrow(/permission denied/);
      await client.query('rollback');
    } finally {
      client.release();
    }
    // …and the table's owner meets the trigger.
    await expect(
      kernel.owner.query('update p_warehouses.moves set qty = qty where id = $1', [id]),
    ).rejects.toThrow(/append-only/);
    await expect(kernel.owner.query('delete from p_warehouses.moves where id = $1', [id])).rejects.toThrow(
      /append-only/,
    );
  });
});

describe.skipIf(!hasChromium)(
  'web components in headless Chromium (skipped: /usr/bin/chromium missing)',
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launch();
    });
    afterAll(async () => browser?.close());

    it('renders stock on hand and the move ledger from the API', async () => {
      const [a] = kernel.tenants;
      const manifest = await ok(a!.api.get('/api/v1/ui/manifest'), 200);
      const ui = manifest.plugins.find((p: any) => p.plugin === 'warehouses');
      expect(ui.elements).toEqual([
        'warehouses-stock-on-hand',
        'warehouses-move-ledger',
        'warehouses-receive-stock',
        'warehouses-issue-stock',
        'warehouses-transfer-stock',
        'warehouses-setup',
        'warehouses-new-item',
        'warehouses-new-warehouse',
        'warehouses-new-location',
        'warehouses-repack',
        'warehouses-reconcile-stock',
      ]);
      const stockPage = await mount(browser, kernel.url, a!.token, ui.module, 'warehouses-stock-on-hand', {});
      const rows = stockPage.locator('warehouses-stock-on-hand tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().locator('td').allTextContents()).toEqual([
        'SAME-1',
        'Same SKU',
        'MAIN',
        'A1',
        '',
        '2',
        'EA',
      ]);

      const ledgerPage = await mount(browser, kernel.url, a!.token, ui.module, 'warehouses-move-ledger', {});
      const moves = ledgerPage.locator('warehouses-move-ledger tbody tr');
      await expect.poll(() => moves.count()).toBe(1);
      const cells = await moves.first().locator('td').allTextContents();
      expect(cells.slice(2)).toEqual([
        'receipt',
        'SAME-1',
        'A1',
        '',
        'S1, S2',
        '2',
        '12.5',
        '',
        'ACME',
        '',
        '',
      ]);
      // cancel the receipt from the ledger: its move is marked, a reversal follows
      await ledgerPage.getByLabel('Cancel a document').selectOption({ index: 1 });
      await ledgerPage.getByRole('button', { name: 'Cancel document' }).click();
      await expect.poll(() => moves.count()).toBe(2);
      expect(await moves.locator('td:last-child').allTextContents()).toEqual(['cancelled', 'reversal']);
    });

    it('refuses an expired lot in the issue form, and lets its override holder deliver it with a reason', async () => {
      const [a] = kernel.tenants;
      const c = a!.plugin('warehouses');
      const milk = await ok(c.post('/items', { sku: 'OLD-MILK', name: 'Milk', uom: 'L', tracking: 'lot' }));
      await ok(
        c.post('/receipts', {
          lines: [
            { itemId: milk.id, locationId: sa.loc.id, qty: '3', lot: 'L-X', lotExpiresOn: '2020-01-01' },
          ],
        }),
      );
      const ui = (await ok(a!.api.get('/api/v1/ui/manifest'), 200)).plugins.find(
        (p: any) => p.plugin === 'warehouses',
      );
      const page = await mount(browser, kernel.url, a!.token, ui.module, 'warehouses-issue-stock', {});
      const form = page.locator('warehouses-issue-stock');
      await expect.poll(() => form.getByLabel('Item').locator('option').count()).toBeGreaterThan(1);
      await form.getByLabel('Item').selectOption({ label: 'OLD-MILK — Milk' });
      await form.getByLabel('Location').selectOption({ label: 'MAIN / A1' });
      await form.getByLabel('Quantity').fill('1');
      await form.getByLabel('Lot', { exact: true }).fill('L-X');
      await form.getByRole('button', { name: 'Post issue' }).click();
      // The lot field says why; the override is offered with a reason.
      await expect
        .poll(() => form.locator('.field-error, [part=problem]').allTextContents())
        .toEqual(
          expect.arrayContaining([
            expect.stringContaining('lot L-X of OLD-MILK (line 1) expired on 2020-01-01'),
          ]),
        );
      const stock = async () => (await ok(c.get(`/stock?itemId=${milk.id}`), 200)).stock[0].qty;
      expect(await stock()).toBe('3');
      await form.getByRole('button', { name: 'Deliver anyway' }).click(); // no reason: refused, said
      await expect
        .poll(() => form.locator('#override-error').textContent())
        .toBe('The reason must have at least 3 characters');
      expect(await stock()).toBe('3');
      await form.getByLabel(/Reason to deliver it anyway/).fill('returned to the dairy for disposal');
      await form.getByRole('button', { name: 'Deliver anyway' }).click();
      await expect
        .poll(() => form.locator('[part=done]').textContent())
        .toMatch(
          /^Issue posted \(.{8}\)\. Delivered anyway: lot L-X of OLD-MILK \(line 1\) expired on 2020-01-01\.$/,
        );
      expect(await stock()).toBe('2');
      const ledger = await mount(browser, kernel.url, a!.token, ui.module, 'warehouses-move-ledger', {
        'item-id': milk.id,
      });
      const rows = ledger.locator('warehouses-move-ledger tbody tr');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.locator('td:last-child').allTextContents()).toEqual([
        '',
        'expired lot delivered: returned to the dairy for disposal',
      ]);
    });
  },
);
