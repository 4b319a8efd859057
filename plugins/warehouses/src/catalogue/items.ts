// Items: what is stocked. The SKU is unique per tenant (case-insensitive); the unit of measure and
// its decimal places say what a quantity means; the tracking mode says whether every move must
// name a lot or list serial numbers. Tracking, unit and scale are fixed once the item has moved,
// as in ERPNext: changing them would reinterpret the ledger.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { type Ctx, IdParams, notFound, refuse, Text } from '../shared/index.js';

const ITEM_COLUMNS = `id, sku, name, uom, qty_scale as "qtyScale", tracking, active, iso(created_at) as "createdAt"`;

export interface ItemRow {
  id: string;
  sku: string;
  name: string;
  uom: string;
  qtyScale: number;
  tracking: 'none' | 'lot' | 'serial';
  active: boolean;
}

const NewItem = schema({
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'name', 'uom'],
  properties: {
    sku: { type: 'string', minLength: 1, maxLength: 64, pattern: '^\\S+$' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    uom: { type: 'string', minLength: 1, maxLength: 20 },
    qtyScale: { type: 'integer', minimum: 0, maximum: 6, default: 0 },
    tracking: { type: 'string', enum: ['none', 'lot', 'serial'], default: 'none' },
  },
} as const);

const ItemPatch = schema({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    uom: { type: 'string', minLength: 1, maxLength: 20 },
    qtyScale: { type: 'integer', minimum: 0, maximum: 6 },
    tracking: { type: 'string', enum: ['none', 'lot', 'serial'] },
    active: { type: 'boolean' },
  },
} as const);

const ItemQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    sku: Text,
    search: Text,
    tracking: { type: 'string', enum: ['none', 'lot', 'serial'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
  },
} as const);

export async function findItem(ctx: Ctx, id: string): Promise<ItemRow | null> {
  return ctx.db.one<ItemRow>(`select ${ITEM_COLUMNS} from items where id = $1`, [id]);
}

export const itemRoutes: Record<string, PluginRoute> = {
  'GET /items': route({
    permission: 'warehouses.items.read',
    summary: 'List items, optionally by SKU, text or tracking mode',
    query: ItemQuery,
    async handler(ctx, { query }) {
      const items = await ctx.db.query(
        `select ${ITEM_COLUMNS} from items
          where ($1::text is null or lower(sku) = lower($1))
            and ($2::text is null or sku ilike '%' || $2 || '%' or name ilike '%' || $2 || '%')
            and ($3::text is null or tracking = $3)
          order by sku limit $4`,
        [query.sku ?? null, query.search ?? null, query.tracking ?? null, query.limit ?? 200],
      );
      return { items };
    },
  }),
  'GET /items/:id': route({
    permission: 'warehouses.items.read',
    params: IdParams,
    async handler(ctx, { params }) {
      return (await findItem(ctx, params.id)) ?? notFound('Item', '/params/id');
    },
  }),
  'POST /items': route({
    permission: 'warehouses.items.write',
    summary: 'Create an item',
    body: NewItem,
    status: 201,
    async handler(ctx, { body }) {
      if (body.tracking === 'serial' && (body.qtyScale ?? 0) !== 0)
        refuse(
          422,
          'SERIAL_SCALE',
          'Serial items are counted whole',
          '/body/qtyScale',
          'must be 0 for serial tracking',
        );
      const taken = await ctx.db.one('select 1 from items where lower(sku) = lower($1)', [body.sku]);
      if (taken) refuse(409, 'SKU_TAKEN', 'SKU already used', '/body/sku', `${body.sku} is already an item`);
      const item = await ctx.db.one<ItemRow>(
        `insert into items (sku, name, uom, qty_scale, tracking) values ($1, $2, $3, $4, $5)
         on conflict do nothing returning ${ITEM_COLUMNS}`,
        [body.sku, body.name, body.uom, body.qtyScale ?? 0, body.tracking ?? 'none'],
      );
      if (!item) refuse(409, 'SKU_TAKEN', 'SKU already used', '/body/sku', `${body.sku} is already an item`);
      await ctx.audit.record({
        action: 'warehouses.item.created',
        resource: 'item',
        resourceId: item.id,
        data: body,
      });
      return item;
    },
  }),
  'PATCH /items/:id': route({
    permission: 'warehouses.items.write',
    summary: 'Rename, (de)activate, or change unit, scale or tracking of an item that has not moved',
    params: IdParams,
    body: ItemPatch,
    async handler(ctx, { params, body }) {
      const item = (await findItem(ctx, params.id)) ?? notFound('Item', '/params/id');
      for (const field of ['uom', 'qtyScale', 'tracking'] as const) {
        if (body[field] === undefined || body[field] === item[field]) continue;
        const moved = await ctx.db.one('select 1 from moves where item_id = $1 limit 1', [params.id]);
        if (moved)
          refuse(
            409,
            'ITEM_HAS_MOVES',
            'Item has moved',
            `/body/${field}`,
            'cannot change once the item has stock moves',
          );
      }
      const tracking = body.tracking ?? item.tracking;
      const scale = body.qtyScale ?? item.qtyScale;
      if (tracking === 'serial' && scale !== 0)
        refuse(
          422,
          'SERIAL_SCALE',
          'Serial items are counted whole',
          '/body/qtyScale',
          'must be 0 for serial tracking',
        );
      const updated = await ctx.db.one<ItemRow>(
        `update items set name = coalesce($2, name), uom = coalesce($3, uom), qty_scale = $4, tracking = $5,
                active = coalesce($6, active)
          where id = $1 returning ${ITEM_COLUMNS}`,
        [params.id, body.name ?? null, body.uom ?? null, scale, tracking, body.active ?? null],
      );
      await ctx.audit.record({
        action: 'warehouses.item.changed',
        resource: 'item',
        resourceId: params.id,
        data: body,
      });
      return updated;
    },
  }),
};
