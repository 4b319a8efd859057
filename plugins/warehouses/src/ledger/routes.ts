// Reading the ledger: stock on hand by item and location (now, or at any date, from the moves
// themselves), the moves, and where serial numbers are.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { Code, DateTime, IdParams, notFound, refuse, Uuid } from '../shared/index.js';

const StockQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    itemId: Uuid,
    warehouseId: Uuid,
    locationId: Uuid,
    includeChildren: {
      type: 'boolean',
      default: true,
      description: 'With locationId: include its sub-locations and bins',
    },
    lot: Code,
    asOf: { ...DateTime, description: 'Stock at this instant, summed from the ledger; default now' },
    groupBy: { type: 'string', enum: ['location', 'warehouse', 'item'], default: 'location' },
  },
} as const);

const MovesQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    itemId: Uuid,
    warehouseId: Uuid,
    locationId: Uuid,
    documentId: Uuid,
    lot: Code,
    serial: Code,
    from: DateTime,
    to: DateTime,
    after: { type: 'integer', minimum: 0, description: 'Cursor: moves with a larger seq' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const);

const SerialsQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { itemId: Uuid, locationId: Uuid, serial: Code, inStock: { type: 'boolean', default: true } },
} as const);

// Group-by variants are fixed SQL fragments picked by an enum, never built from input.
const GROUPS = {
  location: {
    select: `s.item_id as "itemId", i.sku, i.name as "itemName", i.uom, s.warehouse_id as "warehouseId",
             w.code as "warehouseCode", s.location_id as "locationId", l.code_path as "locationCode", nullif(s.lot, '') as lot`,
    group: 's.item_id, i.sku, i.name, i.uom, s.warehouse_id, w.code, s.location_id, l.code_path, s.lot',
    order: 'i.sku, w.code, l.code_path, s.lot',
  },
  warehouse: {
    select: `s.item_id as "itemId", i.sku, i.name as "itemName", i.uom, s.warehouse_id as "warehouseId", w.code as "warehouseCode"`,
    group: 's.item_id, i.sku, i.name, i.uom, s.warehouse_id, w.code',
    order: 'i.sku, w.code',
  },
  item: {
    select: `s.item_id as "itemId", i.sku, i.name as "itemName", i.uom`,
    group: 's.item_id, i.sku, i.name, i.uom',
    order: 'i.sku',
  },
} as const;

export const MOVE_COLUMNS = `m.id, m.seq::int as seq, m.document_id as "documentId", m.kind, m.item_id as "itemId", i.sku,
  m.warehouse_id as "warehouseId", m.location_id as "locationId", l.code_path as "locationCode", nullif(m.lot, '') as lot,
  m.lot_expires_on::text as "lotExpiresOn", trim_scale(m.qty)::text as qty, trim_scale(m.unit_cost)::text as "unitCost", trim_scale(m.unit_price)::text as "unitPrice",
  coalesce((select array_agg(ms.serial order by ms.serial) from move_serials ms where ms.move_id = m.id), '{}') as serials,
  m.return_of as "returnOf", m.counterpart_id as "counterpartId", m.cancels_move_id as "cancelsMoveId",
  exists (select 1 from moves c where c.cancels_move_id = m.id) as cancelled, m.partner, m.reference,
  (select o.reason from expiry_overrides o where o.move_id = m.id) as "expiryOverride",
  iso(m.effective_at) as "effectiveAt", iso(m.created_at) as "createdAt"`;
export const MOVE_FROM = 'moves m join items i on i.id = m.item_id join locations l on l.id = m.location_id';

export const ledgerRoutes: Record<string, PluginRoute> = {
  'GET /stock': route({
    permission: 'warehouses.stock.read',
    summary: 'Stock on hand by item and location (or warehouse, or item), now or at a date',
    query: StockQuery,
    async handler(ctx, { query }) {
      const g = GROUPS[query.groupBy ?? 'location'];
      let scope: string | null = null;
      if (query.locationId) {
        const loc = await ctx.db.one<{ path: string }>('select path from locations where id = $1', [
          query.locationId,
        ]);
        if (!loc)
          refuse(422, 'LOCATION_UNKNOWN', 'Unknown location', '/query/locationId', 'no such location');
        scope = query.includeChildren === false ? null : loc.path;
      }
      // Current stock comes from the balances; stock at a date from the ledger. Both are sums of moves.
      const source = query.asOf
        ? `(select item_id, warehouse_id, location_id, lot, qty from moves where effective_at <= $6::timestamptz)`
        : `(select item_id, warehouse_id, location_id, lot, qty from balances where $6::timestamptz is null)`;
      // Sent together: the kernel writes both in one round trip (its pipelined unit of work).
      const [rows, at] = await Promise.all([
        ctx.db.query(
          `select ${g.select}, trim_scale(sum(s.qty))::text as qty
           from ${source} s join items i on i.id = s.item_id join warehouses w on w.id = s.warehouse_id
           join locations l on l.id = s.location_id
          where ($1::uuid is null or s.item_id = $1) and ($2::uuid is null or s.warehouse_id = $2)
            and ($3::uuid is null or s.location_id = $3 or ($4::text is not null and l.path like $4 || '%'))
            and ($5::text is null or s.lot = $5)
          group by ${g.group} having sum(s.qty) <> 0
          order by ${g.order}`,
          [
            query.itemId ?? null,
            query.warehouseId ?? null,
            query.locationId ?? null,
            scope,
            query.lot ?? null,
            query.asOf ?? null,
          ],
        ),
        ctx.db.one<{ at: string }>('select iso(coalesce($1::timestamptz, now())) as at', [
          query.asOf ?? null,
        ]),
      ]);
      return { asOf: at!.at, groupBy: query.groupBy ?? 'location', stock: rows };
    },
  }),
  'GET /moves': route({
    permission: 'warehouses.stock.read',
    summary: 'The move ledger in posting order, filtered, with a seq cursor',
    query: MovesQuery,
    async handler(ctx, { query }) {
      const limit = query.limit ?? 100;
      const moves = await ctx.db.query<{ seq: number }>(
        `select ${MOVE_COLUMNS} from ${MOVE_FROM}
          where ($1::uuid is null or m.item_id = $1) and ($2::uuid is null or m.warehouse_id = $2)
            and ($3::uuid is null or m.location_id = $3) and ($4::uuid is null or m.document_id = $4)
            and ($5::text is null or m.lot = $5)
            and ($6::text is null or exists (select 1 from move_serials ms where ms.move_id = m.id and ms.serial = $6))
            and ($7::timestamptz is null or m.effective_at >= $7) and ($8::timestamptz is null or m.effective_at <= $8)
            and m.seq > $9
          order by m.seq limit $10`,
        [
          query.itemId ?? null,
          query.warehouseId ?? null,
          query.locationId ?? null,
          query.documentId ?? null,
          query.lot ?? null,
          query.serial ?? null,
          query.from ?? null,
          query.to ?? null,
          query.after ?? 0,
          limit,
        ],
      );
      return { moves, next: moves.length === limit ? moves.at(-1)!.seq : null };
    },
  }),
  'GET /moves/:id': route({
    permission: 'warehouses.stock.read',
    params: IdParams,
    async handler(ctx, { params }) {
      return (
        (await ctx.db.one(`select ${MOVE_COLUMNS} from ${MOVE_FROM} where m.id = $1`, [params.id])) ??
        notFound('Move', '/params/id')
      );
    },
  }),
  'GET /serials': route({
    permission: 'warehouses.stock.read',
    summary: 'Serial numbers and where they are (in stock by default)',
    query: SerialsQuery,
    async handler(ctx, { query }) {
      const serials = await ctx.db.query(
        `select s.item_id as "itemId", i.sku, s.serial, s.location_id as "locationId", l.code_path as "locationCode",
                l.warehouse_id as "warehouseId", s.last_move_id as "lastMoveId"
           from serial_stock s join items i on i.id = s.item_id left join locations l on l.id = s.location_id
          where ($1::uuid is null or s.item_id = $1) and ($2::uuid is null or s.location_id = $2)
            and ($3::text is null or s.serial = $3) and (not $4::boolean or s.location_id is not null)
          order by i.sku, s.serial limit 5000`,
        [query.itemId ?? null, query.locationId ?? null, query.serial ?? null, query.inStock ?? true],
      );
      return { serials };
    },
  }),
};
