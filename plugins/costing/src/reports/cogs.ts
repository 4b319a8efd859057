// COGS per issue: what the issue cost when it left, the corrections of units issued below zero,
// what customers brought back (at that issue's cost), and the net.
import type { Json } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';

const SELECT = `
  select s.id as "issueId", s.item_id as "itemId", s.warehouse_id as "warehouseId", iso(s.at) as date,
         s.reference, s.partner as customer, s.status, trim_scale(s.qty)::text as qty,
         trim_scale(i.cogs)::text as cogs, coalesce(i.corrections, '[]') as corrections,
         trim_scale(i.cogs + i.corrected)::text as "totalCogs", trim_scale(i.pending_qty)::text as "pendingQty",
         trim_scale(coalesce(r.qty, 0))::text as "returnedQty", trim_scale(coalesce(r.value, 0))::text as "returnedValue",
         trim_scale(i.cogs + i.corrected - coalesce(r.value, 0))::text as "netCogs"
    from steps s
    left join issue_costs i on i.issue_id = s.id
    left join lateral (
      select sum(e.qty) as qty, -sum(e.cogs) as value from entries e
       where e.ref = s.id::text and e.type = 'customer_return'
    ) r on true
   where s.kind = 'issue'`;

export async function issueCogs(ctx: Ctx, id: string) {
  return ctx.db.one(`${SELECT} and s.id = $1`, [id]);
}

export async function listCogs(
  ctx: Ctx,
  q: { itemId?: string; warehouseId?: string; from?: string; to?: string; limit?: number },
) {
  const items = await ctx.db.query(
    `${SELECT} and ($1::uuid is null or s.item_id = $1) and ($2::uuid is null or s.warehouse_id = $2)
       and ($3::timestamptz is null or s.at >= $3) and ($4::timestamptz is null or s.at <= $4)
     order by s.at, s.seq limit $5`,
    [q.itemId ?? null, q.warehouseId ?? null, q.from ?? null, q.to ?? null, q.limit ?? 500] as Json[],
  );
  const total = await ctx.db.one<{ cogs: string }>(
    `select trim_scale(coalesce(sum(cogs), 0))::text as cogs from entries
      where ($1::uuid is null or item_id = $1) and ($2::uuid is null or warehouse_id = $2)
        and ($3::timestamptz is null or at >= $3) and ($4::timestamptz is null or at <= $4)`,
    [q.itemId ?? null, q.warehouseId ?? null, q.from ?? null, q.to ?? null] as Json[],
  );
  return { items, totalCogs: total!.cogs };
}
