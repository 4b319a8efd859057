// After a valuation is costed, tells project costing what changed in its issues' costs: an issue
// costed for the first time is announced whole (costing.issue.costed), a later change as a signed
// delta against what was announced (costing.issue.recosted), and an issue whose step is gone (its
// move was cancelled) as minus what was announced. issue_announcements keeps what was said, so a
// change is announced exactly once and the announced amounts always add up to the current cost.
import type { Ctx } from '../shared/index.js';

interface Key {
  itemId: string;
  warehouseId: string;
}

interface Change {
  moveId: string;
  documentId: string | null;
  qty: string | null;
  effectiveAt: string;
  projectId: string | null;
  amount: string;
  announced: string | null;
  delta: string;
  gone: boolean;
}

/**
 * `ids`: the issues this pass may have changed (null: all of the valuation's, after a re-cost).
 * `reason`: what a change is called unless the issue itself was cancelled.
 */
export async function announceIssues(
  ctx: Ctx,
  key: Key,
  ids: readonly string[] | null,
  reason: 'correction' | 'repost',
): Promise<void> {
  if (ids !== null && ids.length === 0) return;
  const changes = await ctx.db.query<Change>(
    `with cur as (
       select s.id, s.document_id, s.qty, s.at, (s.input->>'projectId')::uuid as project_id, ic.cogs + ic.corrected as amount
         from steps s join issue_costs ic on ic.issue_id = s.id
        where s.item_id = $1 and s.warehouse_id = $2 and s.kind = 'issue' and s.status = 'applied'
          and ($3::uuid[] is null or s.id = any($3::uuid[]))
     )
     select c.id as "moveId", c.document_id as "documentId", trim_scale(c.qty)::text as qty,
            iso(c.at) as "effectiveAt", c.project_id as "projectId", trim_scale(c.amount)::text as amount,
            trim_scale(a.amount)::text as announced, trim_scale(c.amount - coalesce(a.amount, 0))::text as delta,
            false as gone
       from cur c left join issue_announcements a on a.issue_id = c.id
      where a.issue_id is null or a.amount <> c.amount
     union all
     select a.issue_id, null, null, iso(a.at), a.project_id, '0', trim_scale(a.amount)::text,
            trim_scale(-a.amount)::text, true
       from issue_announcements a
      where $3::uuid[] is null and a.item_id = $1 and a.warehouse_id = $2 and a.amount <> 0
        and not exists (select 1 from steps s where s.id = a.issue_id)
      order by 4, 1`,
    [key.itemId, key.warehouseId, ids === null ? null : [...ids]],
  );
  for (const c of changes) {
    if (c.announced === null) {
      await ctx.events.publish('issue.costed', {
        moveId: c.moveId,
        documentId: c.documentId,
        itemId: key.itemId,
        warehouseId: key.warehouseId,
        qty: c.qty!,
        amount: c.amount,
        projectId: c.projectId,
        effectiveAt: c.effectiveAt,
      });
    } else {
      const cancelled =
        c.gone &&
        (await ctx.db.one('select 1 from cancelled_moves where move_id = $1', [c.moveId])) !== null;
      await ctx.events.publish('issue.recosted', {
        moveId: c.moveId,
        projectId: c.projectId,
        delta: c.delta,
        reason: cancelled ? 'cancelled' : reason,
        effectiveAt: c.effectiveAt,
      });
    }
  }
  if (!changes.length) return;
  await ctx.db.query(
    `insert into issue_announcements (issue_id, item_id, warehouse_id, project_id, at, amount)
     select x."moveId", $2, $3, x."projectId", x."effectiveAt", x.amount
       from jsonb_to_recordset($1::jsonb) as x("moveId" uuid, "projectId" uuid, "effectiveAt" timestamptz, amount numeric)
     on conflict (tenant_id, issue_id) do update set amount = excluded.amount`,
    [
      JSON.stringify(
        changes.map((c) => ({
          moveId: c.moveId,
          projectId: c.projectId,
          effectiveAt: c.effectiveAt,
          amount: c.amount,
        })),
      ),
      key.itemId,
      key.warehouseId,
    ],
  );
}
