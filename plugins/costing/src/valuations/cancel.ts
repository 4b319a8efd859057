// Cancelling a costing document's steps (a vendor bill, a landed cost): the steps and their entries
// go, and every valuation they touched is re-costed from its first step, so each later step is
// costed again as if the document had never been posted (the same re-cost a back-dated move
// causes). The caller checks the run with requireCosted: if a later step can no longer be costed,
// the request is refused and its unit of work, the deletion included, rolls back.
import { type Ctx, refuse } from '../shared/index.js';
import { type CostingRun, settleAll } from './pipeline.js';
import { requireCosted } from './require.js';
import { lockValuations } from './store.js';
import type { ValuationKey } from './types.js';

export async function cancelSteps(ctx: Ctx, stepIds: readonly string[]): Promise<CostingRun> {
  const ids = JSON.stringify(stepIds);
  const keys = await ctx.db.query<ValuationKey>(
    `select distinct item_id as "itemId", warehouse_id as "warehouseId" from steps
      where id in (select value::uuid from jsonb_array_elements_text($1::jsonb))
      order by 1, 2`,
    [ids],
  );
  await lockValuations(ctx, keys);
  await ctx.db.query(
    'delete from entries where step_id in (select value::uuid from jsonb_array_elements_text($1::jsonb))',
    [ids],
  );
  await ctx.db.query(
    'delete from steps where id in (select value::uuid from jsonb_array_elements_text($1::jsonb))',
    [ids],
  );
  return { inserted: new Set(), outcomes: await settleAll(ctx, keys, { recost: true }) };
}

export interface CancelDocument {
  id: string;
  /** Selects `cancelled` for the document (locking it), nothing when it does not exist. */
  header: string;
  /** Marks the document cancelled. */
  cancelSql: string;
  /** Selects the ids of the document's steps. */
  stepsSql: string;
  notFound: string;
  /** The audit action. */
  action: string;
}

/** Cancels a costing document once: its steps go and what they touched is re-costed, or nothing changes. */
export async function cancelDocument(ctx: Ctx, d: CancelDocument): Promise<void> {
  const doc = await ctx.db.one<{ cancelled: boolean }>(d.header, [d.id]);
  if (!doc) refuse(404, d.notFound, 'Not found', '/params/id', 'does not exist');
  if (doc.cancelled)
    refuse(409, 'COSTING_ALREADY_CANCELLED', 'Already cancelled', '/params/id', 'is already cancelled');
  const steps = await ctx.db.query<{ id: string }>(d.stepsSql, [d.id]);
  const run = await cancelSteps(
    ctx,
    steps.map((s) => s.id),
  );
  requireCosted(run, () => '/params/id', '/params/id');
  await ctx.db.query(d.cancelSql, [d.id]);
  await ctx.audit.record({
    action: d.action,
    resource: d.action.split('.')[1]!,
    resourceId: d.id,
    data: { steps: steps.map((s) => s.id) },
  });
}
