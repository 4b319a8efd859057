// An import whose target plugin is not installed (or disabled) must not wait forever: it is
// marked with a problem naming the plugin, and resumes once the plugin is back — by a retried
// commit, or by the once-a-minute watch. Resuming re-sends the rows no answer has covered yet
// (still `valid`), so batches the plugin applied before it went are not sent twice.
import type { Ctx } from '../shared/index.js';
import { publishBatches } from './batches.js';
import { type ImportRow, loadImport } from './store.js';
import { pluginOf, pluginRunning } from './targets.js';

export const PLUGIN_MISSING = 'INTEGRATIONS_TARGET_PLUGIN_MISSING';
export const WATCH_JOB = 'import-watch';

export function missingProblem(target: string) {
  const plugin = pluginOf(target);
  return {
    code: PLUGIN_MISSING,
    plugin,
    message: `the target ${target} needs the plugin ${plugin}, which is not installed and enabled; the import resumes once it is`,
  };
}

const waiting = (imp: ImportRow) => (imp.error as { code?: string } | null)?.code === PLUGIN_MISSING;

/** Marks the import as waiting for its plugin (status unchanged: committing or rolling-back). */
export async function markMissing(ctx: Ctx, imp: ImportRow): Promise<void> {
  if (waiting(imp)) return;
  const after = (imp.error as { after?: string } | null)?.after;
  await ctx.db.query('update imports set error = $2, updated_at = now() where id = $1', [
    imp.id,
    JSON.stringify({ ...missingProblem(imp.target), ...(after ? { after } : {}) }),
  ]);
}

/** Publishes the rows still unanswered as new batches; true when the import is moving again. */
export async function resumeCommit(ctx: Ctx, importId: string): Promise<boolean> {
  const imp = await loadImport(ctx, importId);
  if (imp?.status !== 'committing' || !waiting(imp) || !(await pluginRunning(ctx, imp.target))) return false;
  const done = await ctx.db.one<{ applied: number }>(
    'select batches_applied as applied from imports where id = $1',
    [imp.id],
  );
  const batch = await publishBatches(ctx, imp, done?.applied ?? 0);
  await ctx.db.query(
    `update imports set batches = $2, batches_sent = $2, error = null, updated_at = now(),
        status = case when $2 = batches_applied then 'committed' else status end where id = $1`,
    [imp.id, batch],
  );
  return true;
}

/** The watch: marks imports in flight whose plugin is gone, resumes those whose plugin is back. */
export async function watchImports(ctx: Ctx): Promise<void> {
  const open = await ctx.db.query<{ id: string }>(
    `select id from imports where status in ('committing', 'rolling-back') order by created_at limit 100`,
  );
  for (const { id } of open) {
    const imp = (await loadImport(ctx, id))!;
    if (!(await pluginRunning(ctx, imp.target))) await markMissing(ctx, imp);
    else if (waiting(imp) && imp.status === 'committing') await resumeCommit(ctx, id);
  }
}
