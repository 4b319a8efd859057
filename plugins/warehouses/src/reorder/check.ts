// Reorder points: when an item's on-hand in a warehouse (all its locations) falls below the
// point's minimum, stock.below-reorder-point is raised once; it is raised again only after stock
// has come back to the minimum and fallen again. The point's row is locked before on-hand is
// summed, so of two concurrent moves the later one sees both and the crossing is never missed
// nor announced twice.
import type { Ctx } from '../shared/index.js';

interface Touched {
  itemId: string;
  sku: string;
  warehouseId: string;
  moveId?: string | null;
}

export async function checkReorderPoints(ctx: Ctx, touched: readonly Touched[]): Promise<void> {
  const unique = new Map<string, Touched>();
  for (const t of touched) unique.set(`${t.itemId}/${t.warehouseId}`, t);
  for (const key of [...unique.keys()].sort()) {
    const t = unique.get(key)!;
    const point = await ctx.db.one<{ id: string; below: boolean }>(
      'select id, below from reorder_points where item_id = $1 and warehouse_id = $2 for update',
      [t.itemId, t.warehouseId],
    );
    if (!point) continue;
    const state = await ctx.db.one<{
      onHand: string;
      minQty: string;
      reorderQty: string | null;
      below: boolean;
    }>(
      `select trim_scale(o.q)::text as "onHand", trim_scale(r.min_qty)::text as "minQty",
              trim_scale(r.reorder_qty)::text as "reorderQty", o.q < r.min_qty as below
         from reorder_points r,
              (select coalesce(sum(qty), 0) as q from balances where item_id = $1 and warehouse_id = $2) o
        where r.id = $3`,
      [t.itemId, t.warehouseId, point.id],
    );
    if (state!.below === point.below) continue;
    await ctx.db.query('update reorder_points set below = $2, updated_at = now() where id = $1', [
      point.id,
      state!.below,
    ]);
    if (state!.below) {
      await ctx.events.publish('stock.below-reorder-point', {
        reorderPointId: point.id,
        itemId: t.itemId,
        sku: t.sku,
        warehouseId: t.warehouseId,
        onHand: state!.onHand,
        minQty: state!.minQty,
        reorderQty: state!.reorderQty,
        moveId: t.moveId ?? null,
      });
    }
  }
}
