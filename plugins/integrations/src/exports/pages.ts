// A page of an export arrives (the catch-all subscription): CSV and NDJSON pages become their
// chunk of the file at once; XLSX pages are kept until all are in, then the xlsx job writes the
// workbook. Pages may arrive in any order: the export completes when it has them all.
import type { EventEnvelope } from '@erp/sdk';
import { stringify } from 'csv-stringify/sync';
import type { Ctx } from '../shared/index.js';
import type { ExportPage } from './events.js';
import { findExportTarget } from './targets.js';

export const XLSX_JOB = 'export-xlsx';

export const isExportPage = (type: string) => type.endsWith('.export.page');

export function formatPage(format: string, columns: string[], page: ExportPage): string {
  if (format === 'ndjson') return page.rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  const lines = page.rows.map((r) =>
    columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))),
  );
  return stringify(page.page === 0 ? [columns, ...lines] : lines);
}

export async function takePage(ctx: Ctx, event: EventEnvelope): Promise<void> {
  const page = event.payload as unknown as ExportPage;
  const exp = await ctx.db.one<{ id: string; target: string; format: string }>(
    `select id, target, format from exports where id = $1 and status = 'running'`,
    [page.exportId],
  );
  const target = exp && findExportTarget(exp.target);
  // Only the plugin that owns the target may answer for it.
  if (!exp || !target || target.plugin !== event.type.split('.')[0]) return;
  if (exp.format === 'xlsx') {
    await ctx.db.query(
      'insert into export_pages (export_id, n, rows) values ($1, $2, $3) on conflict do nothing',
      [exp.id, page.page, JSON.stringify(page.rows)],
    );
  } else {
    const text = formatPage(exp.format, target.columns, page);
    await ctx.db.query(
      'insert into export_chunks (export_id, n, data) values ($1, $2, $3) on conflict do nothing',
      [exp.id, page.page, Buffer.from(text).toString('base64')],
    );
  }
  const state = await ctx.db.one<{ complete: boolean }>(
    `update exports set rows = rows + $2, pages_received = pages_received + 1,
        pages_total = coalesce($3, pages_total),
        bytes = bytes + $4, chunks = case when format = 'xlsx' then chunks else chunks + 1 end
      where id = $1 returning pages_received = pages_total as complete`,
    [
      exp.id,
      page.rows.length,
      page.pages,
      exp.format === 'xlsx' ? 0 : Buffer.byteLength(formatPage(exp.format, target.columns, page)),
    ],
  );
  if (!state?.complete) return;
  if (exp.format === 'xlsx') {
    await ctx.db.query(`update exports set status = 'writing' where id = $1`, [exp.id]);
    await ctx.jobs.enqueue(XLSX_JOB, { exportId: exp.id });
  } else await completeExport(ctx, exp.id);
}

export async function completeExport(ctx: Ctx, exportId: string): Promise<void> {
  const done = await ctx.db.one<{
    target: string;
    format: string;
    rows: number;
    chunks: number;
    scheduleId: string | null;
  }>(
    `update exports set status = 'completed', completed_at = now() where id = $1
     returning target, format, rows, chunks, schedule_id as "scheduleId"`,
    [exportId],
  );
  if (done) await ctx.events.publish('export.completed', { exportId, ...done });
}
