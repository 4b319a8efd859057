// Receipts, issues and adjustments: documents whose lines each become one move. A receipt line
// with returnOf is a customer return (of an issue); an issue line with returnOf is a return to the
// vendor (of a receipt). Everything is checked before the document is kept, and a refusal leaves
// the ledger exactly as it was.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { type MoveSpec, postMoves, publishMoves } from '../ledger/index.js';
import {
  Code,
  type Ctx,
  DateOnly,
  DateTime,
  effectiveAt,
  IdParams,
  insertDocument,
  isNegative,
  Note,
  negate,
  Qty,
  refuse,
  Serials,
  SignedQty,
  Text,
  UnitCost,
  Uuid,
} from '../shared/index.js';
import { readDocument } from './read.js';
import { type ReturnedMove, recordReturn, resolveReturn } from './returns.js';

const lines = <P extends object, R extends readonly string[]>(properties: P, required: R) =>
  ({
    type: 'array',
    minItems: 1,
    maxItems: 500,
    items: { type: 'object', additionalProperties: false, required, properties },
  }) as const;

const Receipt = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    reference: Text,
    supplier: Text,
    note: Note,
    effectiveAt: DateTime,
    lines: lines(
      {
        itemId: Uuid,
        locationId: Uuid,
        qty: Qty,
        unitCost: UnitCost,
        lot: Code,
        lotExpiresOn: DateOnly,
        serials: Serials,
        returnOf: { ...Uuid, description: 'A customer return: the issue move this line returns' },
      },
      ['itemId', 'locationId', 'qty'] as const,
    ),
  },
} as const);

const Issue = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    reference: Text,
    customer: Text,
    projectId: {
      type: ['string', 'null'],
      format: 'uuid',
      description: 'The project the stock is issued to (carried in stock.issued for project costing)',
    },
    note: Note,
    effectiveAt: DateTime,
    lines: lines(
      {
        itemId: Uuid,
        locationId: Uuid,
        qty: Qty,
        lot: Code,
        serials: Serials,
        unitPrice: {
          ...UnitCost,
          description:
            'Sale price per unit in the tenant currency (optional; carried in stock.issued for price checks)',
        },
        returnOf: { ...Uuid, description: 'A return to the vendor: the receipt move this line returns' },
      },
      ['itemId', 'locationId', 'qty'] as const,
    ),
  },
} as const);

const Adjustment = schema({
  type: 'object',
  additionalProperties: false,
  required: ['reason', 'lines'],
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: 200 },
    reference: Text,
    note: Note,
    effectiveAt: DateTime,
    lines: lines(
      {
        itemId: Uuid,
        locationId: Uuid,
        qty: SignedQty,
        unitCost: UnitCost,
        lot: Code,
        lotExpiresOn: DateOnly,
        serials: Serials,
      },
      ['itemId', 'locationId', 'qty'] as const,
    ),
  },
} as const);

type Returned = { orig: ReturnedMove; qty: string; field: string };

async function postDocument(
  ctx: Ctx,
  kind: 'receipt' | 'issue' | 'adjustment',
  header: {
    reference?: string;
    partner?: string;
    note?: string;
    reason?: string;
    effectiveAt?: string;
    projectId?: string | null;
  },
  specs: MoveSpec[],
  returned: Returned[],
) {
  const at = await effectiveAt(ctx, header.effectiveAt, '/body/effectiveAt');
  const id = await insertDocument(ctx, { kind, ...header, effectiveAt: at });
  const moves = await postMoves(ctx, id, at, specs);
  for (const r of returned) await recordReturn(ctx, r.orig, r.qty, r.field);
  await publishMoves(ctx, moves, {
    ...(header.reason ? { reason: header.reason } : {}),
    projectId: header.projectId ?? null,
  });
  await ctx.audit.record({
    action: `warehouses.${kind}.posted`,
    resource: kind,
    resourceId: id,
    data: { reference: header.reference ?? null, moves: moves.map((m) => m.id) },
  });
  return readDocument(ctx, id, kind, '/body');
}

const readRoute = (kind: 'receipt' | 'issue' | 'adjustment') =>
  route({
    permission: 'warehouses.stock.read',
    params: IdParams,
    handler: (ctx, { params }) => readDocument(ctx, params.id, kind),
  });

/** A field a return line must not carry (its cost or price is that of the move it returns). */
function refuseOnReturn(value: unknown, field: string, code: string, [title, message]: [string, string]) {
  if (value !== undefined) refuse(422, code, title, field, message);
}

/** A line with returnOf: checked against the move it returns, whose lot and partner it keeps. */
async function returnSpec(
  ctx: Ctx,
  line: Parameters<typeof resolveReturn>[1] & { qty: string },
  base: Omit<MoveSpec, 'kind'>,
  kind: 'customer-return' | 'vendor-return',
  body: { reference?: string },
  returned: Returned[],
): Promise<MoveSpec> {
  const expected = kind === 'customer-return' ? 'issue' : 'receipt';
  const orig = await resolveReturn(ctx, line, base.field, expected);
  returned.push({ orig, qty: line.qty, field: base.field });
  return {
    ...base,
    kind,
    lot: line.lot ?? orig.lot,
    returnOf: orig.id,
    partner: orig.partner,
    reference: body.reference ?? null,
  };
}

export const documentRoutes: Record<string, PluginRoute> = {
  'POST /receipts': route({
    permission: 'warehouses.stock.receive',
    summary: 'Receive stock (a line with returnOf is a customer return)',
    body: Receipt,
    status: 201,
    async handler(ctx, { body }) {
      const specs: MoveSpec[] = [];
      const returned: Returned[] = [];
      for (const [i, line] of body.lines.entries()) {
        const field = `/body/lines/${i}`;
        const base = {
          field,
          itemId: line.itemId,
          locationId: line.locationId,
          qty: line.qty,
          serials: line.serials,
        };
        if (line.returnOf) {
          refuseOnReturn(line.unitCost, `${field}/unitCost`, 'RETURN_COST_GIVEN', [
            'A customer return comes back at the cost of its issue',
            'must be left out: the cost is that of the returned issue',
          ]);
          const ret = { ...line, returnOf: line.returnOf };
          specs.push(await returnSpec(ctx, ret, base, 'customer-return', body, returned));
        } else {
          specs.push({
            ...base,
            kind: 'receipt',
            lot: line.lot ?? null,
            lotExpiresOn: line.lotExpiresOn ?? null,
            unitCost: line.unitCost ?? null,
            partner: body.supplier ?? null,
            reference: body.reference ?? null,
          });
        }
      }
      return postDocument(ctx, 'receipt', { ...body, partner: body.supplier }, specs, returned);
    },
  }),
  'POST /issues': route({
    permission: 'warehouses.stock.issue',
    summary: 'Issue stock (a line with returnOf is a return to the vendor)',
    body: Issue,
    status: 201,
    async handler(ctx, { body }) {
      const specs: MoveSpec[] = [];
      const returned: Returned[] = [];
      for (const [i, line] of body.lines.entries()) {
        const field = `/body/lines/${i}`;
        const base = {
          field,
          itemId: line.itemId,
          locationId: line.locationId,
          qty: negate(line.qty),
          serials: line.serials,
        };
        if (line.returnOf) {
          refuseOnReturn(line.unitPrice, `${field}/unitPrice`, 'RETURN_PRICE_GIVEN', [
            'A return to the vendor is not a sale',
            'must be left out on a line with returnOf',
          ]);
          const ret = { ...line, returnOf: line.returnOf };
          specs.push(await returnSpec(ctx, ret, base, 'vendor-return', body, returned));
        } else {
          specs.push({
            ...base,
            kind: 'issue',
            lot: line.lot ?? null,
            unitPrice: line.unitPrice ?? null,
            partner: body.customer ?? null,
            reference: body.reference ?? null,
          });
        }
      }
      return postDocument(ctx, 'issue', { ...body, partner: body.customer }, specs, returned);
    },
  }),
  'POST /adjustments': route({
    permission: 'warehouses.stock.adjust',
    summary: 'Adjust on-hand up (found) or down (lost, damaged) with a reason',
    body: Adjustment,
    status: 201,
    async handler(ctx, { body }) {
      const specs: MoveSpec[] = body.lines.map((line, i) => {
        const field = `/body/lines/${i}`;
        if (isNegative(line.qty) && (line.unitCost !== undefined || line.lotExpiresOn !== undefined))
          refuse(
            422,
            'ADJUSTMENT_OUT_WITH_COST',
            'Only stock found carries a cost or an expiry',
            `${field}/unitCost`,
            'leave out unitCost and lotExpiresOn when the quantity is negative',
          );
        return {
          field,
          kind: 'adjustment',
          itemId: line.itemId,
          locationId: line.locationId,
          qty: line.qty,
          lot: line.lot ?? null,
          lotExpiresOn: line.lotExpiresOn ?? null,
          serials: line.serials,
          unitCost: line.unitCost ?? null,
          reference: body.reference ?? null,
        };
      });
      return postDocument(ctx, 'adjustment', body, specs, []);
    },
  }),
  'GET /receipts/:id': readRoute('receipt'),
  'GET /issues/:id': readRoute('issue'),
  'GET /adjustments/:id': readRoute('adjustment'),
};
