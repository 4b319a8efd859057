// Items: what is stocked, optionally with a category. The SKU is unique per tenant (case-insensitive); the unit of measure and
// its decimal places say what a quantity means; the tracking mode says whether every move must
// name a lot or list serial numbers. Tracking, unit and scale are fixed once the item has moved,
// as in ERPNext: changing them would reinterpret the ledger.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { type Ctx, IdParams, notFound, refuse, Text } from '../shared/index.js';
import { publishItem } from './events.js';

const ITEM_COLUMNS = `id, sku, name, uom, qty_scale as "qtyScale", tracking, category, active, iso(created_at) as "createdAt"`;

export interface ItemRow {
  id: string;
  sku: string;
  name: string;
  uom: string;
  qtyScale: number;
  tracking: 'none' | 'lot' | 'serial';
  category: string | null;
  active: boolean;
}

/** An item's category: free text, no surrounding spaces, at most 60 characters. */
const Category = {
  type: 'string',
  minLength: 1,
  maxLength: 60,
  pattern: '^\\S(.*\\S)?$',
  description: 'What kind of item it is, e.g. Fasteners (at most 60 characters)',
} as const;

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
    category: Category,
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
    /** null clears the category. */
    category: { anyOf: [Category, { type: 'null' }] },
  },
} as const);

const ItemQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    sku: Text,
    search: Text,
    tracking: { type: 'string', enum: ['none', 'lot', 'serial'] },
    category: Category,
    uncategorised: { type: 'boolean', description: 'Only items without a category' },
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
            and ($5::text is null or lower(category) = lower($5))
            and (not coalesce($6::boolean, false) or category is null)
          order by sku limit $4`,
        [
          query.sku ?? null,
          query.search ?? null,
          query.tracking ?? null,
          query.limit ?? 200,
          query.category ?? null,
          query.uncategorised ?? null,
        ],
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
        `insert into items (sku, name, uom, qty_scale, tracking, category) values ($1, $2, $3, $4, $5, $6)
         on conflict do nothing returning ${ITEM_COLUMNS}`,
        [body.sku, body.name, body.uom, body.qtyScale ?? 0, body.tracking ?? 'none', body.category ?? null],
      );
      if (!item) refuse(409, 'SKU_TAKEN', 'SKU already used', '/body/sku', `${body.sku} is already an item`);
      await ctx.audit.record({
        action: 'warehouses.item.created',
        resource: 'item',
        resourceId: item.id,
        data: body,
      });
      await publishItem(ctx, item);
      return item;
    },
  }),
  'PATCH /items/:id': route({
    permission: 'warehouses.items.write',
    summary:
      'Rename, (re)categorise, (de)activate, or change unit, scale or tracking of an item that has not moved',
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
                active = coalesce($6, active), category = case when $7::boolean then $8::text else category end
          where id = $1 returning ${ITEM_COLUMNS}`,
        [
          params.id,
          body.name ?? null,
          body.uom ?? null,
          scale,
          tracking,
          body.active ?? null,
          body.category !== undefined,
          body.category ?? null,
        ],
      );
      await ctx.audit.record({
        action: 'warehouses.item.changed',
        resource: 'item',
        resourceId: params.id,
        data: body,
      });
      await publishItem(ctx, updated!);
      return updated;
    },
  }),
};
