// Events of the documents that move several items as one (issue 14): a repack (components out, a
// product in, at their cost plus an additional cost) and a stock reconciliation (a count that
// sets the quantity and the unit cost absolutely, ERPNext's Stock Reconciliation). Their moves are
// also announced one by one as stock.adjusted with a `purpose`, so move-by-move subscribers (the
// serial register) keep working; costing values these documents from the events below instead.
import { schema } from '@erp/sdk';
import { type Ctx, DateTime, Uuid } from '../shared/index.js';
import { Decimal, NullableText, NullableUuid } from './event-fields.js';
import type { PostedMove } from './types.js';

const Positive = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' } as const;

const Leg = {
  type: 'object',
  additionalProperties: false,
  required: ['moveId', 'seq', 'itemId', 'sku', 'warehouseId', 'locationId', 'qty', 'lot', 'serials'],
  properties: {
    moveId: Uuid,
    seq: { type: 'integer', minimum: 1 },
    itemId: Uuid,
    sku: { type: 'string' },
    warehouseId: Uuid,
    locationId: Uuid,
    qty: { ...Positive, description: 'Quantity consumed or produced (> 0)' },
    lot: NullableText,
    serials: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const StockRepacked = schema({
  type: 'object',
  additionalProperties: false,
  required: ['documentId', 'components', 'product', 'additionalCost', 'effectiveAt'],
  properties: {
    documentId: Uuid,
    components: { type: 'array', minItems: 1, items: Leg },
    product: Leg,
    additionalCost: { ...Positive, description: 'Added to the components’ cost (labour, packing), >= 0' },
    reference: NullableText,
    effectiveAt: DateTime,
  },
} as const);

export const StockReconciled = schema({
  type: 'object',
  additionalProperties: false,
  required: [
    'lineId',
    'moveId',
    'seq',
    'documentId',
    'itemId',
    'sku',
    'warehouseId',
    'locationId',
    'lot',
    'countedQty',
    'difference',
    'warehouseQty',
    'unitCost',
    'effectiveAt',
  ],
  properties: {
    lineId: { ...Uuid, description: 'The move id when the line moved stock, else an id of its own' },
    moveId: { ...NullableUuid, description: 'The count move of the difference; null when none' },
    seq: { type: 'integer', minimum: 0, description: "The move's seq, else the ledger's last seq then" },
    documentId: Uuid,
    itemId: Uuid,
    sku: { type: 'string' },
    warehouseId: Uuid,
    locationId: Uuid,
    lot: NullableText,
    countedQty: { ...Positive, description: 'The quantity now at the location' },
    difference: Decimal,
    warehouseQty: { ...Positive, description: "The item's quantity in the whole warehouse after the line" },
    unitCost: { ...Positive, description: 'The rate the item is carried at in that warehouse from now on' },
    reference: NullableText,
    effectiveAt: DateTime,
  },
} as const);

const leg = (m: PostedMove) => ({
  moveId: m.id,
  seq: m.seq,
  itemId: m.itemId,
  sku: m.sku,
  warehouseId: m.warehouseId,
  locationId: m.locationId,
  qty: m.qty.replace(/^-/, ''),
  lot: m.lot,
  serials: m.serials,
});

/** `moves`: the components' moves (negative), then the product's. */
export async function publishRepack(
  ctx: Ctx,
  doc: { id: string; additionalCost: string; reference: string | null; effectiveAt: string },
  moves: readonly PostedMove[],
) {
  await ctx.events.publish('stock.repacked', {
    documentId: doc.id,
    components: moves.slice(0, -1).map(leg),
    product: leg(moves.at(-1)!),
    additionalCost: doc.additionalCost,
    reference: doc.reference,
    effectiveAt: doc.effectiveAt,
  });
}

export interface ReconciledLine {
  lineId: string;
  move: PostedMove | null;
  seq: number;
  itemId: string;
  sku: string;
  warehouseId: string;
  locationId: string;
  lot: string | null;
  countedQty: string;
  difference: string;
  warehouseQty: string;
  unitCost: string;
}

export async function publishReconciled(
  ctx: Ctx,
  doc: { id: string; reference: string | null; effectiveAt: string },
  lines: readonly ReconciledLine[],
) {
  for (const l of lines) {
    const { move, ...rest } = l;
    await ctx.events.publish('stock.reconciled', {
      ...rest,
      moveId: move?.id ?? null,
      documentId: doc.id,
      reference: doc.reference,
      effectiveAt: doc.effectiveAt,
    });
  }
}
