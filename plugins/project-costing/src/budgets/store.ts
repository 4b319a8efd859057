// The budget of a project as stored: original lines and change orders in number order, and the
// engine's revision of them.
import { type BudgetLine, type ChangeOrder, reviseBudget } from '../engine/index.js';
import type { ProjectRow } from '../projects/index.js';
import type { Ctx } from '../shared/index.js';

export async function budgetOf(ctx: Ctx, p: ProjectRow) {
  const original = (await ctx.db.query(
    `select category, period, amount::text as amount from budget_lines where project_id = $1 order by category, period`,
    [p.id],
  )) as unknown as BudgetLine[];
  const orders = (await ctx.db.query(
    `select id, number, reason, effective_on::text as "effectiveOn", lines, activities,
            contract_delta::text as "contractDelta", created_at as "createdAt"
       from change_orders where project_id = $1 order by number`,
    [p.id],
  )) as unknown as (ChangeOrder & { id: string; activities: unknown; createdAt: string })[];
  // The contract value stored on the project already includes the change orders' deltas.
  const base = await ctx.db.one<{ v: string }>(
    `select (p.contract_value - coalesce((select sum(contract_delta) from change_orders c where c.project_id = p.id), 0))::text as v
       from projects p where p.id = $1`,
    [p.id],
  );
  return { original, orders, state: reviseBudget(original, base!.v, orders) };
}
