// The target plugin's answers, seen by the catch-all subscription: per batch, which rows it
// applied (with the id it gave them) and which it refused; for a rollback, whether it could.
// In all-or-nothing mode a refused row anywhere rolls back every batch already applied.
import type { EventEnvelope } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';
import type { ImportApplied, ImportRolledBack } from './events.js';
import { loadImport, setStatus } from './store.js';
import { pluginOf } from './targets.js';

export function isImportAnswer(type: string): boolean {
  return type.endsWith('.import.applied') || type.endsWith('.import.rolled-back');
}

export async function takeAnswer(ctx: Ctx, event: EventEnvelope): Promise<void> {
  const p = event.payload as unknown as ImportApplied & ImportRolledBack;
  const imp = await loadImport(ctx, p.importId);
  // Only the plugin that owns the target may answer for it.
  if (!imp || pluginOf(imp.target) !== event.type.split('.')[0]) return;
  if (event.type.endsWith('.import.applied')) await applied(ctx, imp.id, p);
  else await rolledBack(ctx, imp.id, p);
}

async function applied(ctx: Ctx, importId: string, p: ImportApplied): Promise<void> {
  if (p.applied.length)
    await ctx.db.query(
      `update import_rows r set status = 'applied', result_id = a.id
         from jsonb_to_recordset($2::jsonb) as a(row int, id text)
        where r.import_id = $1 and r.row_no = a.row`,
      [importId, JSON.stringify(p.applied)],
    );
  if (p.failed.length)
    await ctx.db.query(
      `update import_rows r set status = 'failed',
              errors = jsonb_build_array(jsonb_build_object('row', f.row, 'field', f.field,
                'column', i.mapping ->> f.field, 'message', f.message))
         from jsonb_to_recordset($2::jsonb) as f(row int, field text, message text), imports i
        where i.id = $1 and r.import_id = $1 and r.row_no = f.row`,
      [importId, JSON.stringify(p.failed)],
    );
  const imp = await ctx.db.one<{ done: boolean; mode: string; failed: number }>(
    `update imports set batches_applied = batches_applied + 1, applied_rows = applied_rows + $2,
        failed_rows = failed_rows + $3, updated_at = now() where id = $1
     returning batches_applied = batches as done, mode, failed_rows as failed`,
    [importId, p.applied.length, p.failed.length],
  );
  if (!imp?.done) return;
  if (imp.mode === 'all' && imp.failed > 0) await requestRollback(ctx, importId, 'failed');
  else await setStatus(ctx, importId, 'committed');
}

async function rolledBack(ctx: Ctx, importId: string, p: ImportRolledBack): Promise<void> {
  const imp = await loadImport(ctx, importId);
  if (imp?.status !== 'rolling-back') return;
  if (p.blocked.length) {
    await setStatus(ctx, importId, 'committed', {
      code: 'INTEGRATIONS_ROLLBACK_BLOCKED',
      message: `${p.blocked.length} record(s) are already in use; nothing was removed`,
      blocked: p.blocked.slice(0, 100),
    });
    return;
  }
  const after = ((imp as unknown as { error?: { after?: string } }).error?.after ?? 'rolled-back') as string;
  await ctx.db.query(
    `update import_rows set status = 'valid', result_id = null where import_id = $1 and status = 'applied'`,
    [importId],
  );
  await ctx.db.query(
    `update imports set status = $2, applied_rows = 0, updated_at = now(),
        error = case when $2 = 'failed' then error else null end where id = $1`,
    [importId, after],
  );
}

/** Asks the target to remove what this import created; `after` is the status once it has. */
export async function requestRollback(
  ctx: Ctx,
  importId: string,
  after: 'rolled-back' | 'failed',
): Promise<void> {
  const imp = (await loadImport(ctx, importId))!;
  const ids = await ctx.db.query<{ id: string }>(
    `select result_id as id from import_rows where import_id = $1 and status = 'applied'`,
    [importId],
  );
  await setStatus(ctx, importId, 'rolling-back', {
    after,
    ...(after === 'failed'
      ? {
          code: 'INTEGRATIONS_IMPORT_REFUSED',
          message: 'the target refused rows; everything applied was rolled back',
        }
      : {}),
  });
  await ctx.events.publish('import.rollback', { importId, target: imp.target, ids: ids.map((r) => r.id) });
}
