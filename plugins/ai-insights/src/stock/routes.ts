// ABC classes, stock aging and dead stock over the tenant's history. ABC values usage at the
// item's latest known receipt unit cost (the warehouses events carry no cost on issues).
import { type PluginRoute, route, schema } from '@erp/sdk';
import { abcClassify, deadStock, stockAging } from '../engine/index.js';
import { settings, Uuid } from '../shared/index.js';

const AbcQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { days: { type: 'integer', minimum: 1, maximum: 3660, default: 365 } },
} as const);

const AgingQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { warehouseId: Uuid, itemId: Uuid },
} as const);

const DeadQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { days: { type: 'integer', minimum: 1, maximum: 3660 }, warehouseId: Uuid },
} as const);

export const stockRoutes: Record<string, PluginRoute> = {
  'GET /abc': route({
    permission: 'insights.forecasts.read',
    summary: 'ABC classes by usage value over the last `days`',
    query: AbcQuery,
    async handler(ctx, { query }) {
      const usage = await ctx.db.query<{ itemId: string; sku: string; qty: string; value: string }>(
        `select m.item_id as "itemId", max(m.sku) as sku, trim_scale(sum(-m.qty))::text as qty,
                trim_scale(sum(-m.qty) * coalesce((select r.unit_cost from moves r where r.item_id = m.item_id
                   and r.unit_cost is not null order by r.effective_at desc limit 1), 0))::text as value
           from moves m where m.demand and m.effective_at >= now() - make_interval(days => $1)
          group by m.item_id`,
        [query.days ?? 365],
      );
      const sku = new Map(usage.map((u) => [u.itemId, u]));
      const rows = abcClassify(usage.map((u) => ({ itemId: u.itemId, value: u.value })));
      return {
        days: query.days ?? 365,
        items: rows.map((r) => ({
          itemId: r.itemId,
          sku: sku.get(r.itemId)?.sku ?? null,
          qty: sku.get(r.itemId)?.qty ?? '0',
          value: r.value,
          class: r.class,
          share: r.share,
          cumulativeShare: r.cumulativeShare,
        })),
      };
    },
  }),
  'GET /aging': route({
    permission: 'insights.forecasts.read',
    summary: 'On-hand per item and warehouse in age buckets (first in, first out)',
    query: AgingQuery,
    async handler(ctx, { query }) {
      const rows = await ctx.db.query<{
        itemId: string;
        warehouseId: string;
        sku: string;
        onHand: string;
        receipts: { at: string; qty: string }[];
      }>(
        `select item_id as "itemId", warehouse_id as "warehouseId", max(sku) as sku, trim_scale(sum(qty))::text as "onHand",
                coalesce(jsonb_agg(jsonb_build_object('at', effective_at, 'qty', qty::text)) filter (where qty > 0), '[]') as receipts
           from moves where ($1::uuid is null or warehouse_id = $1) and ($2::uuid is null or item_id = $2)
          group by item_id, warehouse_id having sum(qty) > 0 order by 3, 2`,
        [query.warehouseId ?? null, query.itemId ?? null],
      );
      const asOf = new Date().toISOString();
      return {
        asOf,
        rows: rows.map((r) => {
          const a = stockAging(r.onHand, r.receipts, asOf);
          return {
            itemId: r.itemId,
            warehouseId: r.warehouseId,
            sku: r.sku,
            onHand: r.onHand,
            averageAgeDays: a.averageAgeDays === null ? null : Math.round(a.averageAgeDays),
            buckets: a.buckets,
          };
        }),
      };
    },
  }),
  'GET /dead-stock': route({
    permission: 'insights.forecasts.read',
    summary: 'Stock on hand with no demand for `days` (default: the tenant setting deadAfterDays)',
    query: DeadQuery,
    async handler(ctx, { query }) {
      const days = query.days ?? settings(ctx).deadAfterDays;
      const rows = await ctx.db.query<{
        itemId: string;
        warehouseId: string;
        sku: string;
        onHand: string;
        lastIssueAt: string | null;
      }>(
        `select item_id as "itemId", warehouse_id as "warehouseId", max(sku) as sku, trim_scale(sum(qty))::text as "onHand",
                to_char(max(effective_at) filter (where demand) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastIssueAt"
           from moves where ($1::uuid is null or warehouse_id = $1)
          group by item_id, warehouse_id`,
        [query.warehouseId ?? null],
      );
      const sku = new Map(rows.map((r) => [`${r.itemId}/${r.warehouseId}`, r.sku]));
      const dead = deadStock(rows, new Date().toISOString(), days);
      return {
        days,
        rows: dead.map((d) => ({
          ...d,
          sku: sku.get(`${d.itemId}/${d.warehouseId}`) ?? null,
          onHand: d.onHand,
        })),
      };
    },
  }),
};
