// Cycle counts: open a count for a location (optionally with its sub-locations), which snapshots
// what the ledger expects there; record what was counted; post it. Posting compares each counted
// line with on-hand at that moment (its balance row locked, so nothing slips in between) and
// posts the differences as 'count' moves: the count is the truth, the ledger is corrected by new
// moves. Serial items are counted by serial number: missing ones go out, found ones come in.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { postMoves, publishMoves } from '../ledger/index.js';
import {
  Code,
  type Ctx,
  effectiveAt,
  equalsCount,
  IdParams,
  insertDocument,
  Note,
  notFound,
  refuse,
  scaleOf,
  Uuid,
} from '../shared/index.js';
import { QTY_PATTERN } from '../shared/schemas.js';
import { differences } from './differences.js';

const NewCount = schema({
  type: 'object',
  additionalProperties: false,
  required: ['locationId'],
  properties: {
    locationId: Uuid,
    includeChildren: { type: 'boolean', default: false },
    itemIds: { type: 'array', maxItems: 1000, uniqueItems: true, items: Uuid },
    note: Note,
  },
} as const);

const Counted = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemId', 'countedQty'],
        properties: {
          itemId: Uuid,
          locationId: { ...Uuid, description: "Default: the count's location" },
          lot: Code,
          countedQty: { type: 'string', pattern: QTY_PATTERN, description: 'What was found (0 allowed)' },
          serials: { type: 'array', maxItems: 10_000, uniqueItems: true, items: Code },
        },
      },
    },
  },
} as const);

const ListQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: ['open', 'posted', 'cancelled'] } },
} as const);

interface CountHeader {
  id: string;
  status: string;
  locationId: string;
  includeChildren: boolean;
  path: string;
  documentId: string | null;
}

const HEADER = `c.id, c.status, c.location_id as "locationId", c.include_children as "includeChildren", c.note,
  iso(c.created_at) as "createdAt", iso(c.posted_at) as "postedAt", c.document_id as "documentId", l.path`;

async function header(ctx: Ctx, id: string): Promise<CountHeader> {
  const c = await ctx.db.one<CountHeader>(
    `select ${HEADER} from counts c join locations l on l.id = c.location_id where c.id = $1`,
    [id],
  );
  return c ?? notFound('Count', '/params/id');
}

async function readCount(ctx: Ctx, id: string) {
  const { path: _path, ...c } = await header(ctx, id);
  const lines = await ctx.db.query(
    `select cl.item_id as "itemId", i.sku, cl.location_id as "locationId", nullif(cl.lot, '') as lot,
            trim_scale(cl.expected_qty)::text as "expectedQty", trim_scale(cl.counted_qty)::text as "countedQty",
            cl.counted_serials as "countedSerials"
       from count_lines cl join items i on i.id = cl.item_id join locations l on l.id = cl.location_id
      where cl.count_id = $1 order by i.sku, l.path, cl.lot`,
    [id],
  );
  const moves = c.documentId
    ? await ctx.db.query(
        `select m.id, m.item_id as "itemId", m.location_id as "locationId", nullif(m.lot, '') as lot,
                trim_scale(m.qty)::text as qty,
                coalesce((select array_agg(s.serial order by s.serial) from move_serials s where s.move_id = m.id), '{}') as serials
           from moves m where m.document_id = $1 order by m.seq`,
        [c.documentId],
      )
    : [];
  return { ...c, lines, moves };
}

async function openCount(ctx: Ctx, id: string): Promise<CountHeader> {
  const c = await header(ctx, id);
  if (c.status !== 'open')
    refuse(409, 'COUNT_NOT_OPEN', 'Count is not open', '/params/id', `the count is ${c.status}`);
  return c;
}

export const countRoutes: Record<string, PluginRoute> = {
  'POST /counts': route({
    permission: 'warehouses.stock.adjust',
    summary: 'Open a cycle count for a location; snapshots the expected quantities',
    body: NewCount,
    status: 201,
    async handler(ctx, { body }) {
      const loc = await ctx.db.one<{ path: string }>('select path from locations where id = $1', [
        body.locationId,
      ]);
      if (!loc) refuse(422, 'LOCATION_UNKNOWN', 'Unknown location', '/body/locationId', 'no such location');
      const itemIds = body.itemIds ?? null;
      if (itemIds) {
        const known = await ctx.db.query<{ id: string }>('select id from items where id = any($1::uuid[])', [
          itemIds,
        ]);
        const ids = new Set(known.map((k) => k.id));
        const i = itemIds.findIndex((id) => !ids.has(id));
        if (i >= 0) refuse(422, 'ITEM_UNKNOWN', 'Unknown item', `/body/itemIds/${i}`, 'no such item');
      }
      const c = await ctx.db.one<{ id: string }>(
        `insert into counts (location_id, include_children, note, created_by) values ($1, $2, $3, $4) returning id`,
        [body.locationId, body.includeChildren ?? false, body.note ?? null, ctx.user.id],
      );
      await ctx.db.query(
        `insert into count_lines (count_id, item_id, location_id, lot, expected_qty)
         select $1::uuid, b.item_id, b.location_id, b.lot, b.qty from balances b join locations l on l.id = b.location_id
          where b.qty <> 0 and (b.location_id = $2::uuid or ($3::boolean and l.path like $4::text || '%'))
            and ($5::uuid[] is null or b.item_id = any($5::uuid[]))
         union all
         select $1::uuid, i, $2::uuid, '', 0 from unnest($5::uuid[]) i
          where not exists (select 1 from balances b where b.item_id = i and b.location_id = $2 and b.qty <> 0)
            and (select tracking from items where id = i) <> 'lot'`,
        [c!.id, body.locationId, body.includeChildren ?? false, loc.path, itemIds],
      );
      await ctx.audit.record({
        action: 'warehouses.count.opened',
        resource: 'count',
        resourceId: c!.id,
        data: body,
      });
      return readCount(ctx, c!.id);
    },
  }),
  'PUT /counts/:id/lines': route({
    permission: 'warehouses.stock.adjust',
    summary: 'Record counted quantities (and serial numbers) for lines of an open count',
    params: IdParams,
    body: Counted,
    async handler(ctx, { params, body }) {
      const c = await openCount(ctx, params.id);
      const items = new Map(
        (
          await ctx.db.query<{ id: string; sku: string; tracking: string; qtyScale: number }>(
            `select id, sku, tracking, qty_scale as "qtyScale" from items where id = any($1::uuid[])`,
            [body.lines.map((l) => l.itemId)],
          )
        ).map((i) => [i.id, i]),
      );
      const locations = new Map(
        (
          await ctx.db.query<{ id: string; path: string }>(
            'select id, path from locations where id = any($1::uuid[])',
            [body.lines.map((l) => l.locationId ?? c.locationId)],
          )
        ).map((l) => [l.id, l]),
      );
      for (const [i, l] of body.lines.entries()) {
        const field = `/body/lines/${i}`;
        const item = items.get(l.itemId);
        if (!item) refuse(422, 'ITEM_UNKNOWN', 'Unknown item', `${field}/itemId`, 'no such item');
        const loc = locations.get(l.locationId ?? c.locationId);
        if (!loc)
          refuse(422, 'LOCATION_UNKNOWN', 'Unknown location', `${field}/locationId`, 'no such location');
        if (loc.id !== c.locationId && !(c.includeChildren && loc.path.startsWith(c.path)))
          refuse(
            422,
            'COUNT_LOCATION_OUTSIDE',
            'Location outside the count',
            `${field}/locationId`,
            'is not in the counted location',
          );
        if (scaleOf(l.countedQty) > item.qtyScale)
          refuse(
            422,
            'QTY_PRECISION',
            'Too many decimals for the unit',
            `${field}/countedQty`,
            `${item.sku} allows ${item.qtyScale} decimal(s)`,
          );
        if ((item.tracking === 'lot') !== (l.lot !== undefined))
          refuse(
            422,
            item.tracking === 'lot' ? 'LOT_REQUIRED' : 'NOT_LOT_TRACKED',
            'Lot does not match tracking',
            `${field}/lot`,
            item.tracking === 'lot' ? `${item.sku} is lot-tracked` : `${item.sku} has no lots`,
          );
        if (item.tracking !== 'serial' && l.serials !== undefined)
          refuse(
            422,
            'NOT_SERIAL_TRACKED',
            'Item is not serial-tracked',
            `${field}/serials`,
            `${item.sku} has no serials`,
          );
        if (item.tracking === 'serial' && !equalsCount(l.countedQty, l.serials?.length ?? 0))
          refuse(
            422,
            'SERIAL_COUNT_MISMATCH',
            'Serial numbers do not match the quantity',
            `${field}/serials`,
            `${l.serials?.length ?? 0} serial number(s) for a counted quantity of ${l.countedQty}`,
          );
        await ctx.db.query(
          `insert into count_lines (count_id, item_id, location_id, lot, expected_qty, counted_qty, counted_serials, counted_at)
           values ($1, $2, $3, $4, coalesce((select qty from balances where item_id = $2 and location_id = $3 and lot = $4), 0),
                   $5, $6, now())
           on conflict (tenant_id, count_id, item_id, location_id, lot) do update
             set counted_qty = excluded.counted_qty, counted_serials = excluded.counted_serials, counted_at = now()`,
          [
            params.id,
            l.itemId,
            loc.id,
            l.lot ?? '',
            l.countedQty,
            item.tracking === 'serial' ? (l.serials ?? []) : null,
          ],
        );
      }
      return readCount(ctx, params.id);
    },
  }),
  'POST /counts/:id/post': route({
    permission: 'warehouses.stock.adjust',
    summary: 'Post a count: the differences from on-hand become count moves',
    params: IdParams,
    async handler(ctx, { params }) {
      await openCount(ctx, params.id);
      const claimed = await ctx.db.one(
        `update counts set status = 'posted', posted_at = now() where id = $1 and status = 'open' returning id`,
        [params.id],
      );
      if (!claimed)
        refuse(
          409,
          'COUNT_NOT_OPEN',
          'Count is not open',
          '/params/id',
          'the count was posted or cancelled meanwhile',
        );
      const specs = await differences(ctx, params.id);
      const at = await effectiveAt(ctx, undefined, '/body');
      const documentId = await insertDocument(ctx, { kind: 'count', reason: 'cycle-count', effectiveAt: at });
      const moves = await postMoves(ctx, documentId, at, specs);
      await ctx.db.query('update counts set document_id = $2 where id = $1', [params.id, documentId]);
      await publishMoves(ctx, moves, { countId: params.id });
      await ctx.audit.record({
        action: 'warehouses.count.posted',
        resource: 'count',
        resourceId: params.id,
        data: { documentId, moves: moves.map((m) => m.id) },
      });
      return readCount(ctx, params.id);
    },
  }),
  'POST /counts/:id/cancel': route({
    permission: 'warehouses.stock.adjust',
    params: IdParams,
    async handler(ctx, { params }) {
      await openCount(ctx, params.id);
      await ctx.db.query(`update counts set status = 'cancelled' where id = $1 and status = 'open'`, [
        params.id,
      ]);
      await ctx.audit.record({
        action: 'warehouses.count.cancelled',
        resource: 'count',
        resourceId: params.id,
      });
      return readCount(ctx, params.id);
    },
  }),
  'GET /counts': route({
    permission: 'warehouses.stock.read',
    query: ListQuery,
    async handler(ctx, { query }) {
      const counts = await ctx.db.query(
        `select c.id, c.status, c.location_id as "locationId", c.include_children as "includeChildren",
                iso(c.created_at) as "createdAt", iso(c.posted_at) as "postedAt"
           from counts c where ($1::text is null or c.status = $1) order by c.created_at desc limit 500`,
        [query.status ?? null],
      );
      return { counts };
    },
  }),
  'GET /counts/:id': route({
    permission: 'warehouses.stock.read',
    params: IdParams,
    handler: (ctx, { params }) => readCount(ctx, params.id),
  }),
};
