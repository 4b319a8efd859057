// Traceability. Forward from a lot: every move it made, where it is now and every customer it
// reached (net of returns). Backward: the receipts and suppliers it came from. A serial number:
// its receipt and supplier, every move, its customer and warranty.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { readLot } from '../lots/index.js';
import { type TraceMove, traceDown, traceUp } from '../rules/index.js';
import { readSerial } from '../serials/index.js';
import {
  Code,
  type Ctx,
  LIVE,
  LotParams,
  MOVE_COLUMNS,
  refuse,
  SerialParams,
  Uuid,
} from '../shared/index.js';

const MovesQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    itemId: Uuid,
    lot: Code,
    serial: Code,
    after: { type: 'integer', minimum: 0, description: 'Cursor: moves with a larger ledger seq' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
  },
} as const);

/** Customers a lot reached: issued, returned and still out, per customer. */
export const customersOf = (ctx: Ctx, itemId: string, lots: string[]) =>
  ctx.db.query(
    `select t.partner as customer, t.lot,
            trim_scale(sum(-t.qty) filter (where t.kind = 'issue'))::text as issued,
            trim_scale(coalesce(sum(t.qty) filter (where t.kind = 'customer-return'), 0))::text as returned,
            trim_scale(sum(-t.qty))::text as outstanding,
            iso(min(t.effective_at)) as "firstShippedAt", iso(max(t.effective_at)) as "lastShippedAt",
            array_agg(distinct t.reference) filter (where t.reference is not null and t.kind = 'issue') as references,
            count(*)::int as moves
       from tracked_moves t
      where t.item_id = $1 and t.lot = any($2::text[]) and t.kind in ('issue', 'customer-return') and t.partner is not null
        and ${LIVE}
      group by t.partner, t.lot order by t.lot, t.partner`,
    [itemId, lots],
  );

/** Receipts a lot came in by, with their suppliers. */
export const suppliersOf = (ctx: Ctx, itemId: string, lots: string[]) =>
  ctx.db.query(
    `select t.partner as supplier, t.lot, t.move_id as "moveId", t.reference, trim_scale(t.qty)::text as qty,
            iso(t.effective_at) as "receivedAt"
       from tracked_moves t where t.item_id = $1 and t.lot = any($2::text[]) and t.kind = 'receipt' and ${LIVE}
      order by t.seq`,
    [itemId, lots],
  );

const DocumentParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['documentId'],
  properties: { documentId: Uuid },
} as const);

const DocumentTrace = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    direction: {
      type: 'string',
      enum: ['up', 'down'],
      description: "'up': where the document's units came from; 'down': where they went",
    },
  },
} as const);

/**
 * The moves that can link a document to others: its own, and every move of the same lots or
 * serials (with the cancels among them); the rules library does the linking.
 */
async function documentTrace(ctx: Ctx, documentId: string, direction: 'up' | 'down' | undefined) {
  const moves = await ctx.db.query<TraceMove>(
    `with own as (select item_id, lot, serials from tracked_moves where document_id = $1)
     select t.move_id as "moveId", t.seq::int as seq, t.kind, t.document_id as "documentId", t.item_id as "itemId",
            t.lot, t.serials, t.partner, t.cancels
       from tracked_moves t
      where exists (select 1 from own o where o.item_id = t.item_id
                      and ((o.lot is not null and t.lot = o.lot) or t.serials && o.serials))
         or t.cancels in (select move_id from tracked_moves where document_id = $1)`,
    [documentId],
  );
  if (!moves.some((m) => m.documentId === documentId))
    refuse(
      404,
      'DOCUMENT_NOT_FOUND',
      'Document not found',
      '/params/documentId',
      'no lot or serial moved by it',
    );
  return {
    documentId,
    ...(direction !== 'down' ? { up: traceUp(moves, documentId) } : {}),
    ...(direction !== 'up' ? { down: traceDown(moves, documentId) } : {}),
  };
}

export const traceRoutes: Record<string, PluginRoute> = {
  'GET /trace/documents/:documentId': route({
    permission: 'lots-serials.lots.read',
    summary:
      'Trace up (receipts and suppliers) and down (deliveries and customers) from a warehouses document',
    params: DocumentParams,
    query: DocumentTrace,
    handler: (ctx, { params, query }) => documentTrace(ctx, params.documentId, query.direction),
  }),
  'GET /moves': route({
    permission: 'lots-serials.lots.read',
    summary: 'The lot and serial moves this plugin has learnt from the warehouses ledger, in ledger order',
    query: MovesQuery,
    async handler(ctx, { query }) {
      const limit = query.limit ?? 200;
      const moves = await ctx.db.query<{ seq: number }>(
        `select ${MOVE_COLUMNS} from tracked_moves t
          where ($1::uuid is null or t.item_id = $1) and ($2::text is null or t.lot = $2)
            and ($3::text is null or t.serials @> array[$3::text]) and t.seq > $4
          order by t.seq limit $5`,
        [query.itemId ?? null, query.lot ?? null, query.serial ?? null, query.after ?? 0, limit],
      );
      return { moves, next: moves.length === limit ? moves.at(-1)!.seq : null };
    },
  }),
  'GET /trace/lots/:itemId/:code': route({
    permission: 'lots-serials.lots.read',
    summary: 'Forward and backward trace of a lot: suppliers, every move, where it is, customers reached',
    params: LotParams,
    async handler(ctx, { params }) {
      const lot = await readLot(ctx, params.itemId, params.code);
      const moves = await ctx.db.query(
        `select ${MOVE_COLUMNS} from tracked_moves t where t.item_id = $1 and t.lot = $2 order by t.seq`,
        [params.itemId, params.code],
      );
      return {
        lot,
        suppliers: await suppliersOf(ctx, params.itemId, [params.code]),
        moves,
        customers: await customersOf(ctx, params.itemId, [params.code]),
      };
    },
  }),
  'GET /trace/serials/:itemId/:serial': route({
    permission: 'lots-serials.lots.read',
    summary: 'Trace of a serial number: its receipt and supplier, every move, its customer and warranty',
    params: SerialParams,
    async handler(ctx, { params }) {
      const serial = await readSerial(ctx, params.itemId, params.serial);
      const moves = await ctx.db.query(
        `select ${MOVE_COLUMNS} from tracked_moves t where t.item_id = $1 and t.serials @> array[$2::text] order by t.seq`,
        [params.itemId, params.serial],
      );
      return { serial, moves };
    },
  }),
};
