// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Imports end to end: files uploaded in chunks, previewed against the target's schema (each bad
// cell by row and column), committed through warehouses (all or nothing, or per row with an error
// file), idempotent by content hash, rolled back while nothing uses the records.
import type { TestClient } from '@erp/plugin-testkit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { csv, settle, upload, xlsx } from './support/upload.js';
import { ok, type World, world } from './support/world.js';

let kernel: World;
let hooks: TestClient;
let wh: TestClient;

const skus = async (prefix: string) =>
  (await ok(wh.get(`/items?search=${prefix}&limit=1000`))).items.map((i: any) => i.sku).sort();

beforeAll(async () => {
  kernel = world(2);
  hooks = kernel.tenants[0]!.plugin('integrations');
  wh = kernel.tenants[0]!.plugin('warehouses');
});

describe('templates and preview', () => {
  it('lists targets with their schemas and serves CSV and XLSX templates', async () => {
    const targets = await ok(hooks.get('/import-targets'));
    expect(targets.targets.map((t: any) => t.name)).toEqual([
      'warehouses.items',
      'warehouses.locations',
      'warehouses.opening-stock',
    ]);
    const c = await ok(hooks.get('/import-targets/warehouses.items/template?format=csv'));
    expect(Buffer.from(c.base64, 'base64').toString().trim()).toBe('sku,name,uom,qtyScale,tracking');
    const x = await ok(hooks.get('/import-targets/warehouses.items/template?format=xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.base64, 'base64') as never);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([
      undefined,
      'sku',
      'name',
      'uom',
      'qtyScale',
      'tracking',
    ]);
  });

  it('names every bad cell by row and column, refuses an all-or-nothing commit, and commits per row', async () => {
    const file = csv([
      ['sku', 'name', 'uom', 'qtyScale', 'tracking'],
      ['PV-1', 'Bolt', 'EA', '0', 'none'],
      ['PV-2', '', 'EA', '0', 'none'],
      ['PV-3', 'Nut', 'EA', 'two', 'lot'],
      ['PV-4', 'Washer', 'EA', '0', 'sometimes'],
      ['PV-5', 'Screw', 'EA', '', ''],
    ]);
    const imp = await upload(hooks, 'warehouses.items', file, 'csv');
    expect(imp).toMatchObject({ status: 'validated', totalRows: 5, invalidRows: 3 });
    const bad = (await ok(hooks.get(`/imports/${imp.id}/rows?status=invalid`))).rows;
    expect(bad.map((r: any) => r.errors.map((e: any) => [e.row, e.column]))).toEqual([
      [[3, 'name']],
      [[4, 'qtyScale']],
      [[5, 'tracking']],
    ]);
    const refused = await hooks.post(`/imports/${imp.id}/commit`, { mode: 'all' });
    expect([refused.status, (refused.json as any).code]).toEqual([409, 'INTEGRATIONS_IMPORT_HAS_ERRORS']);
    expect(await skus('PV-')).toEqual([]);

    await ok(hooks.post(`/imports/${imp.id}/commit`, { mode: 'per-row' }), 202);
    const done = await settle(hooks, imp.id, ['committed', 'failed']);
    expect(done).toMatchObject({ status: 'committed', appliedRows: 2 });
    expect(await skus('PV-')).toEqual(['PV-1', 'PV-5']);
    const errors = await ok(hooks.get(`/imports/${imp.id}/error-file`));
    const lines = Buffer.from(errors.base64, 'base64').toString().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe("3,PV-2,,EA,0,none,name: must have required property 'name'");

    // The same file again is the same import: nothing is applied twice.
    const again = await upload(hooks, 'warehouses.items', file, 'csv');
    expect(again).toMatchObject({ id: imp.id, existing: true, status: 'committed' });
  });

  it('maps columns, and names a mapped column the file does not have', async () => {
    const file = csv([
      ['Code', 'Description', 'Unit'],
      ['MAP-1', 'Mapped', 'KG'],
    ]);
    const wrong = await upload(hooks, 'warehouses.items', file, 'csv', {
      sku: 'Code',
      name: 'Title',
      uom: 'Unit',
    });
    expect(wrong.status).toBe('failed');
    expect(wrong.error.errors).toEqual([
      { row: 1, column: 'Title', field: 'name', message: 'the file has no column "Title"' },
    ]);
    await ok(
      hooks.post(`/imports/${wrong.id}/parse`, {
        mapping: { sku: 'Code', name: 'Description', uom: 'Unit' },
      }),
      202,
    );
    const fixed = await settle(hooks, wrong.id, ['validated', 'failed']);
    expect(fixed).toMatchObject({ status: 'validated', invalidRows: 0 });
    await ok(hooks.post(`/imports/${wrong.id}/commit`, {}), 202);
    await settle(hooks, wrong.id, ['committed']);
    expect(await skus('MAP-')).toEqual(['MAP-1']);
  });
});

describe('all or nothing, and rollback', () => {
  it('rolls back every applied row when the target refuses one', async () => {
    await ok(wh.post('/items', { sku: 'AON-3', name: 'Already here', uom: 'EA' }), 201);
    const rows = [['sku', 'name', 'uom']];
    for (let i = 1; i <= 2500; i++) rows.push([`AON-${i}`, `Item ${i}`, 'EA']);
    const imp = await upload(hooks, 'warehouses.items', csv(rows), 'csv');
    expect(imp).toMatchObject({ status: 'validated', invalidRows: 0, totalRows: 2500 });
    await ok(hooks.post(`/imports/${imp.id}/commit`, { mode: 'all' }), 202);
    const done = await settle(hooks, imp.id, ['failed', 'committed']);
    expect(done.status).toBe('failed');
    expect(done.error.code).toBe('INTEGRATIONS_IMPORT_REFUSED');
    expect(await skus('AON-')).toEqual(['AON-3']);
    const failed = (await ok(hooks.get(`/imports/${imp.id}/rows?status=failed`))).rows;
    expect(failed.map((r: any) => r.errors[0])).toEqual([
      { row: 4, field: 'sku', column: 'sku', message: 'AON-3 exists' },
    ]);
  });

  it('rolls back a committed import while nothing uses it, and refuses once something does', async () => {
    const file = await xlsx([
      ['warehouseCode', 'code', 'name', 'kind', 'parentCode'],
      ['RB', '', 'Rollback warehouse'],
      ['RB', 'STOCK', 'Stock', 'location'],
      ['RB', 'A1', 'Bin A1', 'bin', 'STOCK'],
    ]);
    const imp = await upload(hooks, 'warehouses.locations', file, 'xlsx');
    expect(imp).toMatchObject({ status: 'validated', totalRows: 3, invalidRows: 0 });
    await ok(hooks.post(`/imports/${imp.id}/commit`, {}), 202);
    await settle(hooks, imp.id, ['committed']);
    const locs = (await ok(wh.get('/locations'))).locations.filter((l: any) =>
      ['STOCK', 'A1'].includes(l.code),
    );
    expect(locs.map((l: any) => l.codePath).sort()).toEqual(['STOCK', 'STOCK/A1']);
    await ok(hooks.post(`/imports/${imp.id}/rollback`), 202);
    await settle(hooks, imp.id, ['rolled-back']);
    expect((await ok(wh.get('/locations'))).locations.filter((l: any) => l.code === 'A1')).toHaveLength(0);

    // Imported items that have moved stay: the rollback removes nothing and says why.
    const items = await upload(
      hooks,
      'warehouses.items',
      csv([
        ['sku', 'name', 'uom'],
        ['USED-1', 'Used', 'EA'],
        ['USED-2', 'Unused', 'EA'],
      ]),
      'csv',
    );
    await ok(hooks.post(`/imports/${items.id}/commit`, {}), 202);
    await settle(hooks, items.id, ['committed']);
    const w = await ok(wh.post('/warehouses', { code: 'RB2', name: 'RB2' }), 201);
    const loc = await ok(wh.post('/locations', { warehouseId: w.id, code: 'S', name: 'S' }), 201);
    const used = (await ok(wh.get('/items?sku=USED-1'))).items[0];
    await ok(wh.post('/receipts', { lines: [{ itemId: used.id, locationId: loc.id, qty: '1' }] }), 201);
    await ok(hooks.post(`/imports/${items.id}/rollback`), 202);
    const after = await settle(hooks, items.id, ['committed', 'rolled-back']);
    expect(after.status).toBe('committed');
    expect(after.error).toMatchObject({
      code: 'INTEGRATIONS_ROLLBACK_BLOCKED',
      blocked: [{ id: used.id, reason: 'item in use' }],
    });
    expect(await skus('USED-')).toEqual(['USED-1', 'USED-2']);
  });
});

describe('opening stock', () => {
  it('posts the valid rows as a receipt, names the refused ones, and cannot be rolled back', async () => {
    const w = await ok(wh.post('/warehouses', { code: 'OSW', name: 'Opening' }), 201);
    await ok(wh.post('/locations', { warehouseId: w.id, code: 'STOCK', name: 'Stock' }), 201);
    const plain = await ok(wh.post('/items', { sku: 'OS-PLAIN', name: 'Plain', uom: 'EA' }), 201);
    const lotted = await ok(
      wh.post('/items', { sku: 'OS-LOT', name: 'Lotted', uom: 'EA', tracking: 'lot' }),
      201,
    );
    await ok(wh.post('/items', { sku: 'OS-SER', name: 'Serial', uom: 'EA', tracking: 'serial' }), 201);
    const file = csv([
      ['sku', 'warehouseCode', 'locationCode', 'qty', 'unitCost', 'lot'],
      ['OS-PLAIN', 'OSW', 'STOCK', '10', '2.5', ''],
      ['OS-LOT', 'OSW', 'STOCK', '4', '', 'L1'],
      ['OS-LOT', 'OSW', 'STOCK', '3', '', ''],
      ['OS-SER', 'OSW', 'STOCK', '1', '', ''],
      ['NOPE', 'OSW', 'STOCK', '1', '', ''],
      ['OS-PLAIN', 'OSW', 'NOWHERE', '1', '', ''],
      ['OS-PLAIN', 'OSW', 'STOCK', 'ten', '', ''],
    ]);
    const imp = await upload(hooks, 'warehouses.opening-stock', file, 'csv');
    expect(imp).toMatchObject({ status: 'validated', totalRows: 7, invalidRows: 1 });
    await ok(hooks.post(`/imports/${imp.id}/commit`, { mode: 'per-row' }), 202);
    const done = await settle(hooks, imp.id, ['committed', 'failed']);
    expect(done).toMatchObject({ status: 'committed', appliedRows: 2, failedRows: 4 });
    const failed = (await ok(hooks.get(`/imports/${imp.id}/rows?status=failed`))).rows;
    expect(failed.map((r: any) => [r.row, r.errors[0].column])).toEqual([
      [4, 'lot'],
      [5, 'sku'],
      [6, 'sku'],
      [7, 'locationCode'],
    ]);
    const qty = async (itemId: string) =>
      (await ok(wh.get(`/stock?itemId=${itemId}`))).stock.map((s: any) => [s.lot, s.qty]);
    expect(await qty(plain.id)).toEqual([[null, '10']]);
    expect(await qty(lotted.id)).toEqual([['L1', '4']]);
    await ok(hooks.post(`/imports/${imp.id}/rollback`), 202);
    const after = await settle(hooks, imp.id, ['committed', 'rolled-back']);
    expect(after.error.code).toBe('INTEGRATIONS_ROLLBACK_BLOCKED');
    expect(await qty(plain.id)).toEqual([[null, '10']]);
  });
});

describe('permissions and tenants', () => {
  it('needs the import permissions and keeps imports to their tenant', async () => {
    const imp = await upload(
      hooks,
      'warehouses.items',
      csv([
        ['sku', 'name', 'uom'],
        ['ISO-1', 'x', 'EA'],
      ]),
      'csv',
    );
    const other = kernel.tenants[1]!.plugin('integrations');
    expect((await other.get(`/imports/${imp.id}`)).status).toBe(404);
    expect((await other.post(`/imports/${imp.id}/commit`, {})).status).toBe(404);
    expect((await ok(other.get('/imports'))).imports).toEqual([]);
    const key = await ok(
      kernel.tenants[0]!.api.post('/api/v1/iam/api-keys', {
        name: 'import reader',
        permissions: ['integrations.imports.read'],
      }),
      201,
    );
    const res = await fetch(`${kernel.url}/api/v1/p/integrations/imports/${imp.id}/commit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    const read = await fetch(`${kernel.url}/api/v1/p/integrations/imports/${imp.id}`, {
      headers: { authorization: `Bearer ${key.token}` },
    });
    expect(read.status).toBe(200);
  });
});
