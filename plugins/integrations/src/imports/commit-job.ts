// Commit: the valid rows go to the target plugin as import.batch events of BATCH rows, all
// published in this job's unit of work (so either every batch is on its way or none is). The
// target answers each batch; answers.ts counts them into the import's progress.
import type { Ctx } from '../shared/index.js';
import { publishBatches } from './batches.js';
import { markMissing } from './missing.js';
import { loadImport } from './store.js';
import { pluginRunning } from './targets.js';

export const COMMIT_JOB = 'import-commit';

export async function commitImport(ctx: Ctx, importId: string): Promise<void> {
  const imp = await loadImport(ctx, importId);
  if (imp?.status !== 'committing' || imp.batches > 0) return;
  // Rows sent to a plugin that is not there would never be answered.
  if (!(await pluginRunning(ctx, imp.target))) {
    await markMissing(ctx, imp);
    return;
  }
  const batch = await publishBatches(ctx, imp, 0);
  await ctx.db.query(
    `update imports set batches = $2, batches_sent = $2, updated_at = now(),
        status = case when $2 = 0 then 'committed' else status end where id = $1`,
    [imp.id, batch],
  );
}
