// Writes an XLSX export from its stored pages with exceljs's streaming writer: one page in memory
// at a time, the compressed output cut into chunks as it comes out.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Ctx } from '../shared/index.js';
import { completeExport } from './pages.js';
import { findExportTarget } from './targets.js';

const CHUNK_BYTES = 512 * 1024;

export async function writeXlsx(ctx: Ctx, exportId: string): Promise<void> {
  const exp = await ctx.db.one<{ target: string; pagesTotal: number }>(
    `select target, pages_total as "pagesTotal" from exports where id = $1 and status = 'writing'`,
    [exportId],
  );
  if (!exp) return;
  const columns = findExportTarget(exp.target)!.columns;
  const out = new PassThrough();
  const parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  let bytes = 0;
  const flush = async (all: boolean) => {
    while (size >= CHUNK_BYTES || (all && size > 0)) {
      const buf = Buffer.concat(parts);
      const chunk = buf.subarray(0, CHUNK_BYTES);
      const rest = buf.subarray(CHUNK_BYTES);
      parts.length = 0;
      if (rest.length) parts.push(rest);
      size = rest.length;
      await ctx.db.query('insert into export_chunks (export_id, n, data) values ($1, $2, $3)', [
        exportId,
        n++,
        chunk.toString('base64'),
      ]);
      bytes += chunk.length;
    }
  };
  out.on('data', (b: Buffer) => {
    parts.push(b);
    size += b.length;
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet(exp.target.slice(0, 31));
  ws.addRow(columns).commit();
  for (let p = 0; p < exp.pagesTotal; p++) {
    const page = await ctx.db.one<{ rows: Record<string, unknown>[] }>(
      'select rows from export_pages where export_id = $1 and n = $2',
      [exportId, p],
    );
    for (const r of page?.rows ?? []) ws.addRow(columns.map((c) => r[c] ?? null)).commit();
    await flush(false);
  }
  ws.commit();
  await wb.commit();
  await flush(true);
  await ctx.db.query('delete from export_pages where export_id = $1', [exportId]);
  await ctx.db.query('update exports set chunks = $2, bytes = $3 where id = $1', [exportId, n, bytes]);
  await completeExport(ctx, exportId);
}
