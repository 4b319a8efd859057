// Receipts, issues and adjustments: documents whose lines each become one move. A receipt line
// with returnOf is a customer return (of an issue); an issue line with returnOf is a return to the
// vendor (of a receipt). Everything is checked before the document is kept, and a refusal leaves
// the ledger exactly as it was.
import { type PluginRoute, route, schema } from '@erp/sdk';
import type { MoveSpec } from '../ledger/index.js';
import {
  Code,
  DateOnly,
  DateTime,
  IdParams,
  isNegative,
  Note,
  Qty,
  refuse,
  Serials,
  SignedQty,
  Text,
  UnitCost,
  Uuid,
} from '../shared/index.js';
import { issueRoutes } from './issues.js';
import { lines, postDocument, type Returned, returnSpec } from './post.js';
import { readDocument } from './read.js';

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

const readRoute = (kind: 'receipt' | 'issue' | 'adjustment') =>
  route({
    permission: 'warehouses.stock.read',
    params: IdParams,
    handler: (ctx, { params }) => readDocument(ctx, params.id, kind),
  });

export const documentRoutes: Record<string, PluginRoute> = {
  ...issueRoutes,
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
          if (line.unitCost !== undefined)
            refuse(
              422,
              'RETURN_COST_GIVEN',
              'A customer return comes back at the cost of its issue',
              `${field}/unitCost`,
              'must be left out: the cost is that of the returned issue',
            );
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
