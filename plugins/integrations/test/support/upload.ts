// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Uploads a file the way a client does: start the import with its hash and size, send base64
// chunks under the body limit, ask for the parse, wait for the preview.
import { createHash } from 'node:crypto';
import type { TestClient } from '@erp/plugin-testkit';
import ExcelJS from 'exceljs';
import { ok, waitFor } from './world.js';

const CHUNK = 450_000;

export async function upload(
  hooks: TestClient,
  target: string,
  file: Buffer,
  format: 'csv' | 'xlsx',
  mapping?: Record<string, string>,
): Promise<any> {
  const chunks = Math.ceil(file.length / CHUNK);
  const started = await hooks.post('/imports', {
    target,
    filename: `f.${format}`,
    format,
    sha256: createHash('sha256').update(file).digest('hex'),
    size: file.length,
    chunks,
    ...(mapping ? { mapping } : {}),
  });
  const imp = started.json as any;
  if (imp.existing) return imp;
  if (started.status !== 201) throw new Error(JSON.stringify(imp));
  for (let n = 0; n < chunks; n++)
    await ok(
      hooks.put(`/imports/${imp.id}/chunks/${n}`, {
        data: file.subarray(n * CHUNK, (n + 1) * CHUNK).toString('base64'),
      }),
      204,
    );
  await ok(hooks.post(`/imports/${imp.id}/parse`, {}), 202);
  return settle(hooks, imp.id, ['validated', 'failed']);
}

export async function settle(
  hooks: TestClient,
  id: string,
  states: string[],
  timeoutMs = 60_000,
): Promise<any> {
  let last: any;
  await waitFor(async () => {
    last = await ok(hooks.get(`/imports/${id}`));
    return states.includes(last.status);
  }, timeoutMs);
  return last;
}

export const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'));

export async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
