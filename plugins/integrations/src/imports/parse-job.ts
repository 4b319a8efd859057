// The parse-and-validate job: reads the file (streaming), checks the header against the mapping,
// validates every row against the target's schema and stages it with its cell errors. It works in
// windows of WINDOW rows, one transaction each, re-enqueueing itself for the next window, so the
// progress (validated rows of total) is visible while a long file is being read.
import type { Ctx } from '../shared/index.js';
import { readRows } from './files.js';
import { missingProblem } from './missing.js';
import { buildRow, type MappingPlan, planMapping } from './rows.js';
import { loadFile, loadImport, setStatus } from './store.js';
import { findTarget } from './targets.js';

export const PARSE_JOB = 'import-parse';
export const WINDOW = 25_000;
const INSERT_BATCH = 2_000;

export async function parseWindow(ctx: Ctx, importId: string, offset: number): Promise<void> {
  const imp = await loadImport(ctx, importId);
  if (imp?.status !== 'parsing') return;
  const target = await findTarget(ctx, imp.target);
  if (!target) {
    await setStatus(ctx, imp.id, 'failed', missingProblem(imp.target));
    return;
  }
  const file = await loadFile(ctx, imp);
  if (!file) {
    await setStatus(ctx, imp.id, 'failed', {
      code: 'INTEGRATIONS_FILE_INCOMPLETE',
      message: 'missing chunks or content hash mismatch',
    });
    return;
  }
  let plan: MappingPlan | undefined;
  let seen = 0;
  let pending: unknown[] = [];
  let invalid = 0;
  let more = false;
  const flush = async () => {
    if (!pending.length) return;
    await ctx.db.query(
      `insert into import_rows (import_id, row_no, cells, data, errors, status)
       select $1, r.row_no, r.cells, r.data, r.errors, case when r.errors is null then 'valid' else 'invalid' end
         from jsonb_to_recordset($2::jsonb) as r(row_no int, cells jsonb, data jsonb, errors jsonb)`,
      [imp.id, JSON.stringify(pending)],
    );
    pending = [];
  };
  for await (const row of readRows(file, imp.format)) {
    if (!plan) {
      const planned = planMapping(target, row.cells, imp.mapping);
      if ('errors' in planned) {
        await setStatus(ctx, imp.id, 'failed', {
          code: 'INTEGRATIONS_COLUMNS_INVALID',
          errors: planned.errors,
        });
        return;
      }
      plan = planned.plan;
      continue;
    }
    seen++;
    if (seen <= offset) continue;
    if (seen > offset + WINDOW) {
      more = true;
      break;
    }
    const built = buildRow(target, plan, row);
    if (built.errors) invalid++;
    pending.push({ row_no: row.rowNo, cells: row.cells, data: built.data, errors: built.errors });
    if (pending.length >= INSERT_BATCH) await flush();
  }
  await flush();
  if (!plan) {
    await setStatus(ctx, imp.id, 'failed', {
      code: 'INTEGRATIONS_FILE_EMPTY',
      message: 'the file has no header row',
    });
    return;
  }
  const done = Math.min(seen, offset + WINDOW);
  await ctx.db.query(
    `update imports set validated_rows = $2, invalid_rows = invalid_rows + $3, mapping = $4,
        total_rows = case when $5 then total_rows else $2 end,
        status = case when $5 then status else 'validated' end, updated_at = now()
      where id = $1`,
    [imp.id, done, invalid, JSON.stringify(plan.mapping), more],
  );
  if (more) await ctx.jobs.enqueue(PARSE_JOB, { importId: imp.id, offset: done });
}
