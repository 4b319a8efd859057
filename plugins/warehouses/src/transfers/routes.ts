// Internal transfers with an approval step: a request names the lines and the two locations and
// moves nothing; approval posts the pair of moves per line (out of the source, into the
// destination) in one unit of work, checking stock at that moment; rejection or cancellation
// closes the request. The status change is a conditional UPDATE, so of two concurrent approvals
// exactly one posts.
import { PluginProblem, type PluginRoute, route, schema } from '@erp/sdk';
import { readDocument } from '../documents/index.js';
import { type MoveSpec, postMoves, publishTransfer, resolveSpecs } from '../ledger/index.js';
import {
  Code,
  type Ctx,
  DateTime,
  effectiveAt,
  IdParams,
  insertDocument,
  Note,
  negate,
  notFound,
  Qty,
  refuse,
  Serials,
  Text,
  Uuid,
} from '../shared/index.js';

const NewTransfer = schema({
  type: 'object',
  additionalProperties: false,
  required: ['fromLocationId', 'toLocationId', 'lines'],
  properties: {
    fromLocationId: Uuid,
    toLocationId: Uuid,
    reference: Text,
    note: Note,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemId', 'qty'],
        properties: { itemId: Uuid, qty: Qty, lot: Code, serials: Serials },
      },
    },
  },
} as const);

const Decision = schema({
  type: 'object',
  additionalProperties: false,
  properties: { note: Note, effectiveAt: DateTime },
} as const);

const ListQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['requested', 'approved', 'rejected', 'cancelled'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const);

interface TransferLine {
  lineNo: number;
  itemId: string;
  qty: string;
  lot: string | null;
  serials: string[];
}

const HEADER = `t.id, t.status, t.from_location_id as "fromLocationId", t.to_location_id as "toLocationId", t.reference, t.note,
  t.requested_by as "requestedBy", iso(t.requested_at) as "requestedAt", t.decided_by as "decidedBy",
  iso(t.decided_at) as "decidedAt", t.decision_note as "decisionNote", t.document_id as "documentId"`;

async function readTransfer(ctx: Ctx, id: string) {
  const t = await ctx.db.one<{ documentId: string | null }>(
    `select ${HEADER} from transfers t where t.id = $1`,
    [id],
  );
  if (!t) notFound('Transfer', '/params/id');
  const lines = await readLines(ctx, id);
  const moves = t.documentId ? (await readDocument(ctx, t.documentId, 'transfer')).moves : [];
  return { ...t, lines, moves };
}

const readLines = (ctx: Ctx, id: string) =>
  ctx.db.query<TransferLine>(
    `select line_no as "lineNo", item_id as "itemId", trim_scale(qty)::text as qty, nullif(lot, '') as lot, serials
       from transfer_lines where transfer_id = $1 order by line_no`,
    [id],
  );

/** Moves the transfer from requested to `status`, or explains why it cannot. */
async function decide(ctx: Ctx, id: string, status: 'approved' | 'rejected' | 'cancelled', note?: string) {
  const row = await ctx.db.one<{
    reference: string | null;
    fromLocationId: string;
    toLocationId: string;
    requestedBy: string | null;
  }>(
    `update transfers set status = $2, decided_by = $3, decided_at = now(), decision_note = $4
      where id = $1 and status = 'requested'
      returning reference, from_location_id as "fromLocationId", to_location_id as "toLocationId", requested_by as "requestedBy"`,
    [id, status, ctx.user.id, note ?? null],
  );
  if (row) return row;
  const current = await ctx.db.one<{ status: string }>('select status from transfers where id = $1', [id]);
  if (!current) notFound('Transfer', '/params/id');
  refuse(
    409,
    'TRANSFER_NOT_PENDING',
    'Transfer already decided',
    '/params/id',
    `the transfer is ${current.status}`,
  );
}

/** Rejection or cancellation: closes a requested transfer without moving anything. */
const closeRoute = (permission: string, status: 'rejected' | 'cancelled') =>
  route({
    permission,
    params: IdParams,
    body: Decision,
    async handler(ctx, { params, body }) {
      await decide(ctx, params.id, status, body.note);
      await ctx.audit.record({
        action: `warehouses.transfer.${status}`,
        resource: 'transfer',
        resourceId: params.id,
        data: { note: body.note ?? null },
      });
      return readTransfer(ctx, params.id);
    },
  });

export const transferRoutes: Record<string, PluginRoute> = {
  'POST /transfers': route({
    permission: 'warehouses.transfers.request',
    summary: 'Request an internal transfer (moves nothing until approved)',
    body: NewTransfer,
    status: 201,
    async handler(ctx, { body }) {
      if (body.fromLocationId === body.toLocationId)
        refuse(
          422,
          'TRANSFER_SAME_LOCATION',
          'Transfer to the same location',
          '/body/toLocationId',
          'must differ from fromLocationId',
        );
      // The checks approval will make again, minus stock: items, locations, tracking, serial counts.
      await resolveSpecs(
        ctx,
        body.lines.map(
          (l, i): MoveSpec => ({
            field: `/body/lines/${i}`,
            fields: { locationId: '/body/fromLocationId' },
            kind: 'transfer-out',
            itemId: l.itemId,
            locationId: body.fromLocationId,
            qty: negate(l.qty),
            lot: l.lot ?? null,
            serials: l.serials,
          }),
        ),
      );
      if (!(await ctx.db.one('select 1 from locations where id = $1', [body.toLocationId])))
        refuse(422, 'LOCATION_UNKNOWN', 'Unknown location', '/body/toLocationId', 'no such location');
      const t = await ctx.db.one<{ id: string }>(
        `insert into transfers (from_location_id, to_location_id, reference, note, requested_by)
         values ($1, $2, $3, $4, $5) returning id`,
        [body.fromLocationId, body.toLocationId, body.reference ?? null, body.note ?? null, ctx.user.id],
      );
      for (const [i, l] of body.lines.entries()) {
        await ctx.db.query(
          `insert into transfer_lines (transfer_id, line_no, item_id, qty, lot, serials) values ($1, $2, $3, $4, $5, $6)`,
          [t!.id, i, l.itemId, l.qty, l.lot ?? '', l.serials ?? []],
        );
      }
      await ctx.audit.record({
        action: 'warehouses.transfer.requested',
        resource: 'transfer',
        resourceId: t!.id,
        data: body,
      });
      return readTransfer(ctx, t!.id);
    },
  }),
  'POST /transfers/:id/approve': route({
    permission: 'warehouses.transfers.approve',
    summary: 'Approve a requested transfer: posts its moves now (or at effectiveAt)',
    params: IdParams,
    body: Decision,
    async handler(ctx, { params, body }) {
      const t = await decide(ctx, params.id, 'approved', body.note);
      if (ctx.config.approverMustDiffer === true && t.requestedBy && t.requestedBy === ctx.user.id)
        throw new PluginProblem(
          403,
          'WAREHOUSES_TRANSFER_SELF_APPROVAL',
          'Requester cannot approve',
          'Another user must approve this transfer.',
          [{ field: '/params/id', message: 'was requested by the approving user' }],
        );
      const at = await effectiveAt(ctx, body.effectiveAt, '/body/effectiveAt');
      const documentId = await insertDocument(ctx, {
        kind: 'transfer',
        reference: t.reference,
        note: body.note,
        effectiveAt: at,
      });
      const specs: MoveSpec[] = [];
      for (const l of await readLines(ctx, params.id)) {
        const field = `/transfer/lines/${l.lineNo}`;
        const common = { field, itemId: l.itemId, lot: l.lot, serials: l.serials, reference: t.reference };
        const out = specs.length;
        specs.push({
          ...common,
          kind: 'transfer-out',
          locationId: t.fromLocationId,
          qty: negate(l.qty),
          counterpart: out + 1,
        });
        specs.push({
          ...common,
          kind: 'transfer-in',
          locationId: t.toLocationId,
          qty: l.qty,
          counterpart: out,
        });
      }
      const moves = await postMoves(ctx, documentId, at, specs);
      await ctx.db.query('update transfers set document_id = $2 where id = $1', [params.id, documentId]);
      await publishTransfer(ctx, params.id, moves);
      await ctx.audit.record({
        action: 'warehouses.transfer.approved',
        resource: 'transfer',
        resourceId: params.id,
        data: { documentId, moves: moves.map((m) => m.id) },
      });
      return readTransfer(ctx, params.id);
    },
  }),
  'POST /transfers/:id/reject': closeRoute('warehouses.transfers.approve', 'rejected'),
  'POST /transfers/:id/cancel': closeRoute('warehouses.transfers.request', 'cancelled'),
  'GET /transfers': route({
    permission: 'warehouses.stock.read',
    query: ListQuery,
    async handler(ctx, { query }) {
      const transfers = await ctx.db.query(
        `select ${HEADER} from transfers t where ($1::text is null or t.status = $1) order by t.requested_at desc, t.id limit $2`,
        [query.status ?? null, query.limit ?? 100],
      );
      return { transfers };
    },
  }),
  'GET /transfers/:id': route({
    permission: 'warehouses.stock.read',
    params: IdParams,
    handler: (ctx, { params }) => readTransfer(ctx, params.id),
  }),
};
