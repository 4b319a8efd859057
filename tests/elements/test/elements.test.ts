// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON and element state
// The three first-party plugins' lit elements in headless Chromium against a real kernel on real
// PostgreSQL (embedded, or the server at DATABASE_URL): each module loaded from the asset URL the
// UI manifest gives, each element given an ErpUiContext whose api calls the kernel with a real
// token. Stock is received, issued and transferred through the forms (with the server's field
// errors shown in words), the valuation chart's data follows, a lot is traced, and axe-core finds
// no serious or critical violation in any element. Screenshots go to artifacts/ (gitignored).
import { join } from 'node:path';
import { hasChromium, launch, type PluginKernel, startPluginKernel } from '@erp/plugin-testkit';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { mountElement, shellPage } from './support/page.js';
import { ARTIFACTS, moduleUrl, PLUGINS, pluginDir } from './support/paths.js';

const okJson = async (p: Promise<{ status: number; json: any }>, status = 201) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  return r.json;
};

describe.skipIf(!hasChromium)('plugin elements in Chromium (skipped: /usr/bin/chromium missing)', () => {
  let kernel: PluginKernel;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let me: any;
  const world: Record<string, string> = {};

  beforeAll(async () => {
    [kernel, browser] = await Promise.all([
      startPluginKernel({
        pluginDirs: PLUGINS.map(pluginDir),
        tenants: 1,
        install: ['@erp-plugin/warehouses', '@erp-plugin/lots-serials', '@erp-plugin/costing'],
      }),
      launch(),
    ]);
    const t = kernel.tenants[0]!;
    const wh = t.plugin('warehouses');
    const w = await okJson(wh.post('/warehouses', { code: 'MAIN', name: 'Main' }));
    world.stock = (
      await okJson(wh.post('/locations', { warehouseId: w.id, code: 'STOCK', name: 'Stock' }))
    ).id;
    world.dock = (await okJson(wh.post('/locations', { warehouseId: w.id, code: 'DOCK', name: 'Dock' }))).id;
    world.bolt = (await okJson(wh.post('/items', { sku: 'BOLT', name: 'Bolt', uom: 'EA' }))).id;
    world.milk = (
      await okJson(wh.post('/items', { sku: 'MILK', name: 'Milk', uom: 'L', tracking: 'lot' }))
    ).id;
    me = await okJson(t.api.get('/api/v1/auth/me'), 200);
    const manifest = await okJson(t.api.get('/api/v1/ui/manifest'), 200);
    const modules = manifest.plugins.map((p: any) => p.module);
    expect(modules.sort()).toEqual([
      moduleUrl('costing'),
      moduleUrl('lots-serials'),
      moduleUrl('warehouses'),
    ]);
    ({ page, errors } = await shellPage(browser, kernel.url, t.token, me, modules));
  });
  afterAll(async () => {
    await browser?.close();
    await kernel?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const stockOf = async (sku: string) => {
    const r = await okJson(kernel.tenants[0]!.plugin('warehouses').get(`/stock?groupBy=item`), 200);
    return r.stock.find((s: any) => s.sku === sku)?.qty ?? '0';
  };
  /** Fills a stock or setup form by label and submits it. */
  async function post(form: Locator, fields: Array<[string, string, 'select' | 'fill']>) {
    const submit = form.getByRole('button', { name: /^(Post|Request|Create)/ });
    await expect.poll(() => submit.isEnabled()).toBe(true);
    for (const [label, value, how] of fields) {
      const control = form.getByLabel(label, { exact: true });
      if (how === 'select') await control.selectOption({ label: value });
      else await control.fill(value);
    }
    await submit.click();
  }

  it('receives and issues stock through the forms, showing the server’s field errors in words', async () => {
    const receive = await mountElement(page, 'warehouses-receive-stock');
    // A quantity the schema refuses: the words appear next to the field, which is marked invalid.
    await post(receive, [
      ['Item', 'BOLT — Bolt', 'select'],
      ['Location', 'MAIN / STOCK', 'select'],
      ['Quantity', 'ten', 'fill'],
    ]);
    const qty = receive.getByLabel('Quantity', { exact: true });
    await expect.poll(() => qty.getAttribute('aria-invalid')).toBe('true');
    expect(await receive.locator('#qty-error').textContent()).toBe(
      'Quantity must be a number greater than zero, e.g. 5 or 2.5',
    );
    expect(await qty.getAttribute('aria-describedby')).toBe('qty-hint qty-error');
    expect(await stockOf('BOLT')).toBe('0');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('01-receive-field-error');

    await post(receive, [
      ['Quantity', '10', 'fill'],
      ['Unit cost', '2.50', 'fill'],
      ['Supplier', 'ACME', 'fill'],
    ]);
    await expect.poll(() => receive.locator('[part=done]').textContent()).toMatch(/^Receipt posted/);
    expect(await qty.getAttribute('aria-invalid')).toBe('false');
    expect(await stockOf('BOLT')).toBe('10');
    expect(await page.evaluate(() => (window as any).notes.at(-1).kind)).toBe('success');
    await shot('02-receive-posted');

    const issue = await mountElement(page, 'warehouses-issue-stock');
    // More than is on hand: the refusal is shown, nothing moves.
    await post(issue, [
      ['Item', 'BOLT — Bolt', 'select'],
      ['Location', 'MAIN / STOCK', 'select'],
      ['Quantity', '500', 'fill'],
    ]);
    await expect.poll(() => issue.locator('.field-error, [part=problem]').count()).toBeGreaterThan(0);
    const words = (await issue.locator('.field-error, [part=problem]').allTextContents()).join(' ');
    expect(words).toMatch(/stock|on hand|negative/i);
    expect(await stockOf('BOLT')).toBe('10');
    await post(issue, [
      ['Quantity', '4', 'fill'],
      ['Sale price per unit', '4.50', 'fill'],
      ['Customer', 'Bob', 'fill'],
    ]);
    await expect.poll(() => issue.locator('[part=done]').textContent()).toMatch(/^Issue posted/);
    expect(await stockOf('BOLT')).toBe('6');
    const sold = await okJson(kernel.tenants[0]!.plugin('warehouses').get('/moves?limit=1000'), 200);
    expect(sold.moves.map((m: any) => [m.partner, m.unitPrice])).toContainEqual(['Bob', '4.5']);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('03-issue-posted');
  });

  it('requests and approves a transfer, and shows stock on hand by location and the ledger', async () => {
    const transfer = await mountElement(page, 'warehouses-transfer-stock');
    await post(transfer, [
      ['From location', 'MAIN / STOCK', 'select'],
      ['To location', 'MAIN / DOCK', 'select'],
      ['Item', 'BOLT — Bolt', 'select'],
      ['Quantity', '2', 'fill'],
      ['Reference', 'T-1', 'fill'],
    ]);
    await expect.poll(() => transfer.locator('[part=done]').textContent()).toMatch(/^Transfer requested/);
    await expect.poll(() => transfer.locator('[part=pending] tbody tr').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('04-transfer-requested');
    await transfer.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => transfer.locator('[part=pending] tbody tr').count()).toBe(0);

    const stock = await mountElement(page, 'warehouses-stock-on-hand', {}, 'property');
    const rows = stock.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(cells).toEqual([
      ['BOLT', 'Bolt', 'MAIN', 'DOCK', '', '2', 'EA'],
      ['BOLT', 'Bolt', 'MAIN', 'STOCK', '', '4', 'EA'],
    ]);
    await stock.getByLabel('Group by').selectOption({ label: 'Item' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('td').allTextContents()).toEqual(['BOLT', 'Bolt', '6', 'EA']);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('05-stock-on-hand');

    const ledger = await mountElement(page, 'warehouses-move-ledger', {}, 'api');
    await expect.poll(() => ledger.locator('tbody tr').count()).toBe(4);
    const kinds = await ledger.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(kinds).toEqual(['receipt', 'issue', 'transfer-out', 'transfer-in']);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('06-move-ledger');
  });

  it('offers a form only to users who hold its permission', async () => {
    const issue = await mountElement(page, 'warehouses-issue-stock', {}, 'property', [
      'warehouses.stock.read',
    ]);
    await expect.poll(() => issue.locator('p.status').textContent()).toContain('warehouses.stock.issue');
    expect(await issue.locator('form').count()).toBe(0);
  });

  it('draws the valuation over time and by item, and the chart follows a receipt', async () => {
    const drawn = (el: Locator) => el.evaluate((e: any) => e.drawn);
    // A receipt three days ago (through the API: the forms post at now) gives the line a history.
    const wh = kernel.tenants[0]!.plugin('warehouses');
    const gear = (await okJson(wh.post('/items', { sku: 'GEAR', name: 'Gear', uom: 'EA' }))).id;
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await okJson(
      wh.post('/receipts', {
        effectiveAt: past,
        lines: [{ itemId: gear, locationId: world.stock, qty: '2', unitCost: '4' }],
      }),
    );
    let report = await mountElement(page, 'costing-valuation-report');
    // Costing learns of moves through warehouses' events: wait until the BOLT moves are valued.
    await expect
      .poll(
        async () => {
          await report.evaluate((e: any) => e.load());
          return report.evaluate((e: any) => e.series.byItem);
        },
        { timeout: 20_000 },
      )
      .toEqual({ labels: ['BOLT', 'GEAR'], values: ['15', '8'] });
    const before = await drawn(report);
    expect(before.byItem).toEqual({ labels: ['BOLT', 'GEAR'], data: [15, 8] });
    // One point per day from the first entry: 8 (the gear) until today, then 23 with the bolts.
    expect(before.overTime.data).toEqual([8, 8, 8, 23]);
    expect(before.overTime.labels[0]).toBe(past.slice(0, 10));
    expect(before.legend).toEqual(['Stock value', 'Value by item']);
    expect(before.axes).toEqual(['Date', 'Value', 'Item', 'Value']);
    expect(await report.locator('[part=total]').textContent()).toContain('Total value 23');
    // Warehouses by their code (from the warehouses plugin), not costing's ids.
    expect(await report.locator('[part=table] tbody td:nth-child(2)').allTextContents()).toEqual([
      'MAIN',
      'MAIN',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('07-valuation-before');

    const receive = await mountElement(page, 'warehouses-receive-stock');
    await post(receive, [
      ['Item', 'BOLT — Bolt', 'select'],
      ['Location', 'MAIN / STOCK', 'select'],
      ['Quantity', '5', 'fill'],
      ['Unit cost', '4', 'fill'],
    ]);
    await expect.poll(() => receive.locator('[part=done]').textContent()).toMatch(/^Receipt posted/);

    report = await mountElement(page, 'costing-valuation-report');
    await expect
      .poll(
        async () => {
          await report.evaluate((e: any) => e.load());
          return (await drawn(report)).byItem.data;
        },
        { timeout: 20_000 },
      )
      .toEqual([35, 8]);
    expect((await drawn(report)).overTime.data).toEqual([8, 8, 8, 43]);
    // Hovering a bar shows its tooltip with the exact decimal.
    const canvas = report.locator('canvas[part=by-item]');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await expect.poll(async () => (await drawn(report)).tooltip).toEqual(['Value by item: 35']);
    await shot('08-valuation-after');
  });

  it('traces a lot received and issued through the forms', async () => {
    const receive = await mountElement(page, 'warehouses-receive-stock');
    await post(receive, [
      ['Item', 'MILK — Milk', 'select'],
      ['Location', 'MAIN / STOCK', 'select'],
      ['Quantity', '8', 'fill'],
      ['Lot', 'L-1', 'fill'],
      ['Lot expires on', '2031-05-01', 'fill'],
      ['Supplier', 'Dairy', 'fill'],
    ]);
    await expect.poll(() => receive.locator('[part=done]').textContent()).toMatch(/^Receipt posted/);
    const issue = await mountElement(page, 'warehouses-issue-stock');
    await post(issue, [
      ['Item', 'MILK — Milk', 'select'],
      ['Location', 'MAIN / STOCK', 'select'],
      ['Quantity', '3', 'fill'],
      ['Lot', 'L-1', 'fill'],
      ['Customer', 'Alice', 'fill'],
    ]);
    await expect.poll(() => issue.locator('[part=done]').textContent()).toMatch(/^Issue posted/);

    // The projection follows warehouses' events; once both moves are in, pick the lot by its label.
    let trace = await mountElement(page, 'lots-serials-trace', { 'item-id': world.milk!, lot: 'L-1' });
    await expect
      .poll(
        async () => {
          trace = await mountElement(page, 'lots-serials-trace', { 'item-id': world.milk!, lot: 'L-1' });
          await trace.locator('h3, [role=alert]').first().waitFor();
          return trace.locator('[part=moves] tbody tr').count();
        },
        { timeout: 20_000 },
      )
      .toBe(2);
    trace = await mountElement(page, 'lots-serials-trace');
    await trace
      .getByLabel('Lot', { exact: true })
      .selectOption({ label: 'MILK · lot L-1 (expires 2031-05-01)' });
    await expect.poll(() => trace.locator('h3').textContent()).toBe('Lot L-1 of MILK');
    expect(await trace.locator('[part=summary] dd').allTextContents()).toEqual([
      '2031-05-01',
      'ok',
      'active',
      '5',
    ]);
    expect(await trace.locator('[part=customers] tbody td').allTextContents()).toEqual([
      'Alice',
      '3',
      '0',
      '3',
    ]);
    expect(await trace.locator('[part=suppliers] tbody td').allTextContents()).toContain('Dairy');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('09-lot-trace');
  });

  it('sets up an item, a warehouse and a location from the setup page, and the stock forms offer them', async () => {
    const setup = await mountElement(page, 'warehouses-setup');
    const item = setup.locator('warehouses-new-item');
    // A serial item counted in hundredths: the server refuses and the form says where.
    await post(item, [
      ['SKU', 'NUT', 'fill'],
      ['Name', 'Nut', 'fill'],
      ['Unit of measure', 'EA', 'fill'],
      ['Tracking', 'By serial number', 'select'],
      ['Decimals in quantities', '2', 'fill'],
    ]);
    const scale = item.getByLabel('Decimals in quantities', { exact: true });
    await expect.poll(() => scale.getAttribute('aria-invalid')).toBe('true');
    await post(item, [['Decimals in quantities', '0', 'fill']]);
    await expect.poll(() => item.locator('[part=done]').textContent()).toBe('Item NUT created.');

    const warehouse = setup.locator('warehouses-new-warehouse');
    await post(warehouse, [
      ['Code', 'EAST', 'fill'],
      ['Name', 'East', 'fill'],
    ]);
    await expect.poll(() => warehouse.locator('[part=done]').textContent()).toBe('Warehouse EAST created.');
    // The location form's warehouse picker learns of EAST without a reload.
    const location = setup.locator('warehouses-new-location');
    await post(location, [
      ['Warehouse', 'EAST — East', 'select'],
      ['Code', 'A-01', 'fill'],
      ['Name', 'Aisle 1', 'fill'],
    ]);
    await expect.poll(() => location.locator('[part=done]').textContent()).toBe('Location A-01 created.');
    await expect
      .poll(() => setup.locator('section[aria-label="Warehouses and locations"] tbody td').allTextContents())
      .toContain('EAST / A-01');
    expect(await setup.locator('section[aria-label=Items] tbody td').allTextContents()).toEqual(
      expect.arrayContaining(['NUT', 'Nut', 'EA', 'serial']),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot('10-setup');

    const receive = await mountElement(page, 'warehouses-receive-stock');
    await post(receive, [
      ['Item', 'NUT — Nut', 'select'],
      ['Location', 'EAST / A-01', 'select'],
      ['Quantity', '2', 'fill'],
      ['Serial numbers', 'N-1, N-2', 'fill'],
    ]);
    await expect.poll(() => receive.locator('[part=done]').textContent()).toMatch(/^Receipt posted/);
    expect(await stockOf('NUT')).toBe('2');

    // Without the write permissions the page lists and offers no form.
    const reader = await mountElement(page, 'warehouses-setup', {}, 'property', [
      'warehouses.items.read',
      'warehouses.locations.read',
    ]);
    await expect.poll(() => reader.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await reader.locator('form').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
