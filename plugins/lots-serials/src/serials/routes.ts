// Serial numbers as this plugin knows them from the ledger's events: where each is, its first
// receipt and supplier, its latest customer, and its warranty (by the item's policy, or set by
// hand), with the warranty's state on any day.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { Code, type Ctx, DateOnly, refuse, SerialParams, Uuid } from '../shared/index.js';

const SerialQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    itemId: Uuid,
    serial: Code,
    customer: { type: 'string', maxLength: 200 },
    inStock: { type: 'boolean' },
    limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 },
  },
} as const);

const Policy = schema({
  type: 'object',
  additionalProperties: false,
  required: ['months'],
  properties: {
    months: { type: 'integer', minimum: 1, maximum: 600 },
    starts: { type: 'string', enum: ['delivery', 'receipt'], default: 'delivery' },
    terms: { type: 'string', maxLength: 2000 },
  },
} as const);

const Warranty = schema({
  type: 'object',
  additionalProperties: false,
  required: ['startsOn', 'endsOn'],
  properties: { startsOn: DateOnly, endsOn: DateOnly, terms: { type: 'string', maxLength: 2000 } },
} as const);

const OnQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { on: { ...DateOnly, description: 'Day to judge the warranty on; default today' } },
} as const);

export const SERIAL_COLUMNS = `s.item_id as "itemId", s.sku, s.serial, s.in_stock as "inStock", s.warehouse_id as "warehouseId",
  s.location_id as "locationId", s.received_move_id as "receivedMoveId", iso(s.received_at) as "receivedAt", s.supplier,
  s.receipt_reference as "receiptReference", s.delivery_move_id as "deliveryMoveId", iso(s.delivered_at) as "deliveredAt",
  s.customer, s.delivery_reference as "deliveryReference", s.received_kind as "receivedKind",
  s.received_document_id as "receiptDocumentId", s.delivery_document_id as "deliveryDocumentId"`;

const WARRANTY = `json_build_object(
  'startsOn', s.warranty_starts_on::text, 'endsOn', s.warranty_ends_on::text, 'terms', s.warranty_terms,
  'source', s.warranty_source,
  'status', case when s.warranty_starts_on is null then 'none'
                 when d.day < s.warranty_starts_on then 'not-started'
                 when d.day > s.warranty_ends_on then 'expired' else 'active' end,
  'daysLeft', case when d.day between s.warranty_starts_on and s.warranty_ends_on
                   then s.warranty_ends_on - d.day end)`;

export async function readSerial(ctx: Ctx, itemId: string, serial: string, on?: string) {
  const row = await ctx.db.one(
    `select ${SERIAL_COLUMNS}, ${WARRANTY} as warranty
       from serials s, (select coalesce($3::date, (now() at time zone 'UTC')::date) as day) d
      where s.item_id = $1 and s.serial = $2`,
    [itemId, serial, on ?? null],
  );
  if (!row)
    refuse(
      404,
      'SERIAL_NOT_FOUND',
      'Serial number not found',
      '/params/serial',
      `${serial} of this item has never moved`,
    );
  return row;
}

export const serialRoutes: Record<string, PluginRoute> = {
  'GET /serials': route({
    permission: 'lots-serials.lots.read',
    query: SerialQuery,
    async handler(ctx, { query }) {
      const serials = await ctx.db.query(
        `select ${SERIAL_COLUMNS} from serials s
          where ($1::uuid is null or s.item_id = $1) and ($2::text is null or s.serial = $2)
            and ($3::text is null or s.customer = $3) and ($4::boolean is null or s.in_stock = $4)
          order by s.sku, s.serial limit $5`,
        [
          query.itemId ?? null,
          query.serial ?? null,
          query.customer ?? null,
          query.inStock ?? null,
          query.limit ?? 500,
        ],
      );
      return { serials };
    },
  }),
  'GET /serials/:itemId/:serial': route({
    permission: 'lots-serials.lots.read',
    summary: 'A serial number: where it is, its receipt and supplier, its customer and warranty',
    params: SerialParams,
    query: OnQuery,
    handler: (ctx, { params, query }) => readSerial(ctx, params.itemId, params.serial, query.on),
  }),
  'PUT /serials/:itemId/:serial/warranty': route({
    permission: 'lots-serials.warranty.write',
    summary: 'Set the warranty of one serial number by hand (policies never override it)',
    params: SerialParams,
    body: Warranty,
    async handler(ctx, { params, body }) {
      await readSerial(ctx, params.itemId, params.serial);
      if (body.endsOn < body.startsOn)
        refuse(
          422,
          'WARRANTY_ENDS_BEFORE_START',
          'Warranty ends before it starts',
          '/body/endsOn',
          'must not be before startsOn',
        );
      await ctx.db.query(
        `update serials set warranty_starts_on = $3, warranty_ends_on = $4, warranty_terms = $5, warranty_source = 'manual'
          where item_id = $1 and serial = $2`,
        [params.itemId, params.serial, body.startsOn, body.endsOn, body.terms ?? null],
      );
      await ctx.audit.record({
        action: 'lots-serials.warranty.set',
        resource: 'serial',
        resourceId: `${params.itemId}/${params.serial}`,
        data: body,
      });
      return readSerial(ctx, params.itemId, params.serial);
    },
  }),
  'PUT /warranty-policies/:itemId': route({
    permission: 'lots-serials.warranty.write',
    summary:
      "Set an item's warranty: months from delivery (or receipt), for serials delivered (received) from now on",
    params: {
      type: 'object',
      additionalProperties: false,
      required: ['itemId'],
      properties: { itemId: Uuid },
    },
    body: Policy,
    async handler(ctx, { params, body }) {
      const row = await ctx.db.one(
        `insert into warranty_policies (item_id, months, starts, terms) values ($1, $2, $3, $4)
         on conflict (tenant_id, item_id) do update
           set months = excluded.months, starts = excluded.starts, terms = excluded.terms, updated_at = now()
         returning item_id as "itemId", months, starts, terms, iso(updated_at) as "updatedAt"`,
        [(params as { itemId: string }).itemId, body.months, body.starts ?? 'delivery', body.terms ?? null],
      );
      await ctx.audit.record({
        action: 'lots-serials.warranty-policy.set',
        resource: 'item',
        resourceId: (params as { itemId: string }).itemId,
        data: body,
      });
      return row;
    },
  }),
};
