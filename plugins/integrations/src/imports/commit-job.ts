// Commit: the valid rows go to the target plugin as import.batch events of BATCH rows, all
// published in this job's unit of work (so either every batch is on its way or none is). The
// target answers each batch; answers.ts counts them into the import's progress.
import type { Ctx } from '../shared/index.js';
import { markMissing } from './missing.js';
import { loadImport } from './store.js';
import { pluginRunning } from './targets.js';

export const COMMIT_JOB = 'import-commit';
export const BATCH = 5_000;

export async function commitImport(ctx: Ctx, importId: string): Promise<void> {
  const imp = await loadImport(ctx, importId);
  if (imp?.status !== 'committing' || imp.batches > 0) return;
  // Rows sent to a plugin that is not there would never be answered.
  if (!(await pluginRunning(ctx, imp.target))) {
    await markMissing(ctx, imp);
    return;
  }
  let batch = 0;
  let after = 0;
  for (;;) {
    const rows = await ctx.db.query<{ row: number; data: Record<string, unknown> }>(
      `select row_no as row, data from import_rows where import_id = $1 and status = 'valid' and row_no > $2
        order by row_no limit ${BATCH}`,
      [imp.id, after],
    );
    if (!rows.length) break;
    await ctx.events.publish('import.batch', {
      importId: imp.id,
      target: imp.target,
      mode: imp.mode ?? 'all',
      batch,
      rows: rows as never,
    });
    after = rows.at(-1)!.row;
    batch++;
  }
  await ctx.db.query(
    `update imports set batches = $2, batches_sent = $2, updated_at = now(),
        status = case when $2 = 0 then 'committed' else status end where id = $1`,
    [imp.id, batch],
  );
}
