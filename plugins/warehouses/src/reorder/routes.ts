// Setting reorder points (one per item and warehouse) and listing them with current on-hand. A
// point set while stock is already below it raises the event at once.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { IdParams, notFound, Qty, refuse, Uuid } from '../shared/index.js';
import { checkReorderPoints } from './check.js';

const ReorderPoint = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'warehouseId', 'minQty'],
  properties: {
    itemId: Uuid,
    warehouseId: Uuid,
    minQty: {
      ...Qty,
      pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$',
      description: 'On-hand below this raises the event (may be 0)',
    },
    reorderQty: Qty,
  },
} as const);

const ListQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { itemId: Uuid, warehouseId: Uuid, below: { type: 'boolean' } },
} as const);

const COLUMNS = `r.id, r.item_id as "itemId", i.sku, r.warehouse_id as "warehouseId", trim_scale(r.min_qty)::text as "minQty",
  trim_scale(r.reorder_qty)::text as "reorderQty", r.below,
  (select trim_scale(coalesce(sum(b.qty), 0))::text from balances b
    where b.item_id = r.item_id and b.warehouse_id = r.warehouse_id) as "onHand", iso(r.updated_at) as "updatedAt"`;

export const reorderRoutes: Record<string, PluginRoute> = {
  'PUT /reorder-points': route({
    permission: 'warehouses.reorder.write',
    summary: 'Set the reorder point of an item in a warehouse',
    body: ReorderPoint,
    async handler(ctx, { body }) {
      const item = await ctx.db.one<{ sku: string }>('select sku from items where id = $1', [body.itemId]);
      if (!item) refuse(422, 'ITEM_UNKNOWN', 'Unknown item', '/body/itemId', 'no such item');
      const w = await ctx.db.one('select 1 from warehouses where id = $1', [body.warehouseId]);
      if (!w) refuse(422, 'WAREHOUSE_UNKNOWN', 'Unknown warehouse', '/body/warehouseId', 'no such warehouse');
      const row = await ctx.db.one<{ id: string }>(
        `insert into reorder_points (item_id, warehouse_id, min_qty, reorder_qty) values ($1, $2, $3, $4)
         on conflict (tenant_id, item_id, warehouse_id) do update
           set min_qty = excluded.min_qty, reorder_qty = excluded.reorder_qty, below = false, updated_at = now()
         returning id`,
        [body.itemId, body.warehouseId, body.minQty, body.reorderQty ?? null],
      );
      await checkReorderPoints(ctx, [{ itemId: body.itemId, sku: item.sku, warehouseId: body.warehouseId }]);
      await ctx.audit.record({
        action: 'warehouses.reorder-point.set',
        resource: 'reorder-point',
        resourceId: row!.id,
        data: body,
      });
      return ctx.db.one(
        `select ${COLUMNS} from reorder_points r join items i on i.id = r.item_id where r.id = $1`,
        [row!.id],
      );
    },
  }),
  'GET /reorder-points': route({
    permission: 'warehouses.stock.read',
    query: ListQuery,
    async handler(ctx, { query }) {
      const points = await ctx.db.query(
        `select ${COLUMNS} from reorder_points r join items i on i.id = r.item_id
          where ($1::uuid is null or r.item_id = $1) and ($2::uuid is null or r.warehouse_id = $2)
            and ($3::boolean is null or r.below = $3)
          order by i.sku, r.warehouse_id`,
        [query.itemId ?? null, query.warehouseId ?? null, query.below ?? null],
      );
      return { reorderPoints: points };
    },
  }),
  'DELETE /reorder-points/:id': route({
    permission: 'warehouses.reorder.write',
    params: IdParams,
    status: 204,
    async handler(ctx, { params }) {
      const gone = await ctx.db.one('delete from reorder_points where id = $1 returning id', [params.id]);
      if (!gone) notFound('Reorder point', '/params/id');
      await ctx.audit.record({
        action: 'warehouses.reorder-point.removed',
        resource: 'reorder-point',
        resourceId: params.id,
      });
    },
  }),
};
