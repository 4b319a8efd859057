// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Exports end to end: warehouses sends the filtered items page by page, integrations writes CSV,
// NDJSON or XLSX chunk by chunk (one page per chunk, so memory is bounded by the page size, not
// the export), downloads come back chunk by chunk, and the completion reaches a webhook endpoint.
import type { TestClient } from '@erp/plugin-testkit';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from './support/receiver.js';
import { csv, settle, upload } from './support/upload.js';
import { ok, type World, waitFor, world } from './support/world.js';

const N = 2_500;
let kernel: World;
let rx: Receiver;
let hooks: TestClient;
let secret: string;

async function exported(body: object): Promise<{ exp: any; file: Buffer; chunks: Buffer[] }> {
  const started = await ok(hooks.post('/exports', body), 202);
  let exp: any;
  await waitFor(async () => {
    exp = await ok(hooks.get(`/exports/${started.id}`));
    return exp.status === 'completed';
  }, 30_000);
  const chunks: Buffer[] = [];
  for (let n = 0; n < exp.chunks; n++)
    chunks.push(Buffer.from((await ok(hooks.get(`/exports/${exp.id}/chunks/${n}`))).base64, 'base64'));
  return { exp, file: Buffer.concat(chunks), chunks };
}

beforeAll(async () => {
  rx = await startReceiver();
  kernel = world(4);
  const t0 = kernel.tenants[0]!;
  hooks = t0.plugin('integrations');
  await ok(t0.api.put('/api/v1/tenant/outbound-policy', { allowPrivate: ['127.0.0.0/8'] }));
  await ok(t0.api.put('/api/v1/plugins/installations/integrations/config', { config: { allowHttp: true } }));
  secret = (
    await ok(
      hooks.post('/endpoints', { url: rx.url('/exports'), patterns: ['integrations.export.completed'] }),
      201,
    )
  ).secret;
  const rows = [['sku', 'name', 'uom', 'tracking']];
  for (let i = 1; i <= N; i++)
    rows.push([`EXP-${String(i).padStart(5, '0')}`, `Exported ${i}`, 'EA', i % 10 ? 'none' : 'lot']);
  const imp = await upload(hooks, 'warehouses.items', csv(rows), 'csv');
  await ok(hooks.post(`/imports/${imp.id}/commit`, {}), 202);
  await settle(hooks, imp.id, ['committed']);
});
afterAll(async () => {
  await rx?.close();
});

describe('exports', () => {
  it('streams a filtered CSV one page per chunk and announces it to webhook endpoints', async () => {
    const { exp, file, chunks } = await exported({
      target: 'warehouses.items',
      format: 'csv',
      filter: { search: 'EXP-' },
    });
    expect(exp).toMatchObject({ rows: N, chunks: Math.ceil(N / 1000) });
    // Memory is bounded by the page: no chunk holds more than one page of records.
    for (const [i, c] of chunks.entries())
      expect(parse(c).length).toBeLessThanOrEqual(1000 + (i === 0 ? 1 : 0));
    const records = parse(file, { columns: true });
    expect(records).toHaveLength(N);
    expect(records[0]).toMatchObject({ sku: 'EXP-00001', name: 'Exported 1', uom: 'EA', tracking: 'none' });
    expect(records.map((r: any) => r.sku)).toEqual([...records.map((r: any) => r.sku)].sort());
    await waitFor(() => rx.got('/exports').some((r) => JSON.parse(r.body).data.exportId === exp.id));
    const hook = rx.got('/exports').find((r) => JSON.parse(r.body).data.exportId === exp.id)!;
    expect(new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>)).toMatchObject({
      type: 'integrations.export.completed',
      data: { rows: N, format: 'csv' },
    });
  });

  it('exports NDJSON with the filter applied, and XLSX', async () => {
    const { exp, file } = await exported({
      target: 'warehouses.items',
      format: 'ndjson',
      filter: { search: 'EXP-', tracking: 'lot' },
    });
    const lines = file
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(N / 10);
    expect(exp.rows).toBe(N / 10);
    expect(lines.every((l: any) => l.tracking === 'lot' && l.sku.startsWith('EXP-'))).toBe(true);

    const x = await exported({ target: 'warehouses.items', format: 'xlsx', filter: { search: 'EXP-0001' } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.file as never);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([
      undefined,
      'id',
      'sku',
      'name',
      'uom',
      'qtyScale',
      'tracking',
      'active',
    ]);
    expect(ws.rowCount).toBe(1 + 10);
    expect(ws.getRow(2).getCell(2).value).toBe('EXP-00010');
  });

  it('refuses an unknown filter field naming it, and keeps exports to their tenant', async () => {
    const bad = await hooks.post('/exports', {
      target: 'warehouses.items',
      format: 'csv',
      filter: { colour: 'red' },
    });
    expect([bad.status, (bad.json as any).code, (bad.json as any).errors[0].field]).toEqual([
      422,
      'INTEGRATIONS_FILTER_INVALID',
      '/body/filter/colour',
    ]);
    const { exp } = await exported({
      target: 'warehouses.items',
      format: 'csv',
      filter: { search: 'EXP-02' },
    });
    const other = kernel.tenants[1]!.plugin('integrations');
    expect((await other.get(`/exports/${exp.id}`)).status).toBe(404);
    expect((await other.get(`/exports/${exp.id}/chunks/0`)).status).toBe(404);
    // Tenant 1 exports its own (empty) items: one header-only chunk, none of tenant 0's.
    const started = await ok(other.post('/exports', { target: 'warehouses.items', format: 'csv' }), 202);
    await waitFor(async () => (await ok(other.get(`/exports/${started.id}`))).status === 'completed');
    expect((await ok(other.get(`/exports/${started.id}`))).rows).toBe(0);
  });

  it('keeps export schedules', async () => {
    const s = await ok(
      hooks.post('/export-schedules', { target: 'warehouses.items', format: 'ndjson', everyMinutes: 60 }),
      201,
    );
    expect(s).toMatchObject({ everyMinutes: 60, enabled: true });
    expect((await ok(hooks.get('/export-schedules'))).schedules.map((x: any) => x.id)).toContain(s.id);
    await ok(hooks.delete(`/export-schedules/${s.id}`), 204);
  });
});
