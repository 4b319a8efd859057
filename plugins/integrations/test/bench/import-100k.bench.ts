// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// 100,000-row imports, CSV and XLSX, through the whole path (chunked upload, parse and validate
// in windows, commit through warehouses in batches), then the export of every item those imports
// made as CSV, NDJSON and XLSX (warehouses pages, integrations writes chunk by chunk, the download
// joins the chunks). Prints time and the peak resident memory of this process, which runs the
// kernel too. A bench, not part of the suite (`pnpm run bench:import`,
// ERP_IMPORT_ROWS to change the size); the suite covers the same path with 2,500 rows.
import { type PluginKernel, startPluginKernel, type TestClient } from '@erp/plugin-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDir } from '../support/dirs.js';
import { csv, settle, upload, xlsx } from '../support/upload.js';
import { ok } from '../support/world.js';

const ROWS = Number(process.env.ERP_IMPORT_ROWS ?? 100_000);
let kernel: PluginKernel;
let hooks: TestClient;

function sampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
  };
}

async function run(format: 'csv' | 'xlsx', prefix: string) {
  const rows: string[][] = [['sku', 'name', 'uom', 'qtyScale', 'tracking']];
  for (let i = 1; i <= ROWS; i++)
    rows.push([`${prefix}-${i}`, `Item ${i} of the big file`, 'EA', '0', 'none']);
  const file = format === 'csv' ? csv(rows) : await xlsx(rows);
  const before = Math.round(process.memoryUsage().rss / 2 ** 20);
  const stop = sampler();
  const t0 = performance.now();
  const imp = await upload(hooks, 'warehouses.items', file, format);
  const t1 = performance.now();
  expect(imp).toMatchObject({ status: 'validated', totalRows: ROWS, invalidRows: 0 });
  await ok(hooks.post(`/imports/${imp.id}/commit`, { mode: 'all' }), 202);
  const done = await settle(hooks, imp.id, ['committed', 'failed'], 600_000);
  const t2 = performance.now();
  const peak = stop();
  expect(done).toMatchObject({ status: 'committed', appliedRows: ROWS });
  console.log(
    `import ${ROWS} rows ${format} (${(file.length / 2 ** 20).toFixed(1)} MiB): upload+preview ${((t1 - t0) / 1000).toFixed(1)} s, ` +
      `commit ${((t2 - t1) / 1000).toFixed(1)} s, total ${((t2 - t0) / 1000).toFixed(1)} s; rss ${before} MiB before, peak ${peak} MiB`,
  );
}

beforeAll(async () => {
  // A kernel in this process, so the peak memory printed includes the server's side.
  kernel = await startPluginKernel({
    pluginDirs: [pluginDir('integrations'), pluginDir('warehouses')],
    tenants: 1,
    install: ['@erp-plugin/warehouses', '@erp-plugin/integrations'],
  });
  hooks = kernel.tenants[0]!.plugin('integrations');
});
afterAll(async () => kernel?.close());

describe(`import of ${ROWS} rows`, () => {
  it('CSV', async () => run('csv', 'BIGC'), 600_000);
  it('XLSX', async () => run('xlsx', 'BIGX'), 600_000);
});

async function exportAll(format: 'csv' | 'ndjson' | 'xlsx') {
  const before = Math.round(process.memoryUsage().rss / 2 ** 20);
  const stop = sampler();
  const t0 = performance.now();
  const started = await ok(hooks.post('/exports', { target: 'warehouses.items', format }), 202);
  let exp: any;
  for (;;) {
    exp = await ok(hooks.get(`/exports/${started.id}`));
    if (exp.status === 'completed' || exp.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(exp.status).toBe('completed');
  const t1 = performance.now();
  let bytes = 0;
  for (let n = 0; n < exp.chunks; n++)
    bytes += Buffer.from((await ok(hooks.get(`/exports/${exp.id}/chunks/${n}`))).base64, 'base64').length;
  const t2 = performance.now();
  const peak = stop();
  expect(exp.rows).toBe(2 * ROWS);
  console.log(
    `export ${exp.rows} items ${format} (${(bytes / 2 ** 20).toFixed(1)} MiB in ${exp.chunks} chunks): written ${((t1 - t0) / 1000).toFixed(1)} s, ` +
      `downloaded ${((t2 - t1) / 1000).toFixed(1)} s; rss ${before} MiB before, peak ${peak} MiB`,
  );
}

describe(`export of the ${2 * ROWS} imported items`, () => {
  it('CSV', async () => exportAll('csv'), 600_000);
  it('NDJSON', async () => exportAll('ndjson'), 600_000);
  it('XLSX', async () => exportAll('xlsx'), 600_000);
});
