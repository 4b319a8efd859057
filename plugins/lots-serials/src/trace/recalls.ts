// Recalls: name an item's lots and a reason; the lots stop being suggested for picking, the event
// lots-serials.lot.recalled goes out, and the report says what to do about them — where the stock
// still is (to quarantine), which customers got how much (to contact), which suppliers sent it.
// The report is computed when read, so it follows moves made after the recall.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { Code, type Ctx, refuse, Uuid } from '../shared/index.js';
import { customersOf, suppliersOf } from './routes.js';

export const LotRecalled = schema({
  type: 'object',
  additionalProperties: false,
  required: ['recallId', 'itemId', 'sku', 'lots', 'reason'],
  properties: {
    recallId: Uuid,
    itemId: Uuid,
    sku: { type: 'string' },
    lots: { type: 'array', items: { type: 'string' } },
    reason: { type: 'string' },
  },
} as const);

const NewRecall = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'lots', 'reason'],
  properties: {
    itemId: Uuid,
    lots: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: Code },
    reason: { type: 'string', minLength: 1, maxLength: 2000 },
  },
} as const);

const IdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const;

async function report(ctx: Ctx, id: string) {
  const recall = await ctx.db.one<{ itemId: string; lots: string[] }>(
    `select id, item_id as "itemId", lots, reason, created_by as "createdBy", iso(created_at) as "createdAt" from recalls where id = $1`,
    [id],
  );
  if (!recall) refuse(404, 'RECALL_NOT_FOUND', 'Recall not found', '/params/id', 'no such recall');
  const lots = await ctx.db.query(
    `select l.code, l.sku, l.expires_on::text as "expiresOn", l.status,
            (select trim_scale(coalesce(sum(t.qty) filter (where t.kind = 'receipt'), 0))::text
               from tracked_moves t where t.item_id = l.item_id and t.lot = l.code) as received,
            (select trim_scale(coalesce(sum(t.qty), 0))::text from tracked_moves t where t.item_id = l.item_id and t.lot = l.code) as "onHand"
       from lots l where l.item_id = $1 and l.code = any($2::text[]) order by l.code`,
    [recall.itemId, recall.lots],
  );
  const onHand = await ctx.db.query(
    `select lot, warehouse_id as "warehouseId", location_id as "locationId", trim_scale(sum(qty))::text as qty
       from tracked_moves where item_id = $1 and lot = any($2::text[])
      group by lot, warehouse_id, location_id having sum(qty) <> 0 order by lot, warehouse_id, location_id`,
    [recall.itemId, recall.lots],
  );
  return {
    ...recall,
    lots,
    onHand,
    customers: await customersOf(ctx, recall.itemId, recall.lots),
    suppliers: await suppliersOf(ctx, recall.itemId, recall.lots),
  };
}

export const recallRoutes: Record<string, PluginRoute> = {
  'POST /recalls': route({
    permission: 'lots-serials.recalls.write',
    summary: 'Recall lots of an item: block them from picking, announce it, and report where they went',
    body: NewRecall,
    status: 201,
    async handler(ctx, { body }) {
      const known = await ctx.db.query<{ code: string; sku: string }>(
        'select code, sku from lots where item_id = $1 and code = any($2::text[])',
        [body.itemId, body.lots],
      );
      const codes = new Set(known.map((k) => k.code));
      const missing = body.lots.findIndex((l) => !codes.has(l));
      if (missing >= 0)
        refuse(
          422,
          'LOT_UNKNOWN',
          'Unknown lot',
          `/body/lots/${missing}`,
          `no lot ${body.lots[missing]} of this item has been received`,
        );
      await ctx.db.query(
        `update lots set status = 'recalled' where item_id = $1 and code = any($2::text[])`,
        [body.itemId, body.lots],
      );
      const recall = await ctx.db.one<{ id: string }>(
        'insert into recalls (item_id, lots, reason, created_by) values ($1, $2, $3, $4) returning id',
        [body.itemId, body.lots, body.reason, ctx.user.id],
      );
      await ctx.events.publish('lot.recalled', {
        recallId: recall!.id,
        itemId: body.itemId,
        sku: known[0]!.sku,
        lots: body.lots,
        reason: body.reason,
      });
      await ctx.audit.record({
        action: 'lots-serials.recall.opened',
        resource: 'recall',
        resourceId: recall!.id,
        data: body,
      });
      return report(ctx, recall!.id);
    },
  }),
  'GET /recalls': route({
    permission: 'lots-serials.lots.read',
    async handler(ctx) {
      const recalls = await ctx.db.query(
        `select id, item_id as "itemId", lots, reason, iso(created_at) as "createdAt" from recalls order by created_at desc limit 500`,
      );
      return { recalls };
    },
  }),
  'GET /recalls/:id': route({
    permission: 'lots-serials.lots.read',
    summary: 'The recall report: lots, stock still on hand, customers reached and suppliers',
    params: IdParams,
    handler: (ctx, { params }) => report(ctx, params.id),
  }),
};
