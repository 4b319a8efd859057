// The events this plugin publishes, one per move (per transfer line for stock.transferred), in the
// unit of work that posts it. They carry what a valuation needs without reading this plugin's
// tables: item, warehouse and location, the quantity and unit cost as decimal strings, the move
// and its ledger sequence number, the effective date, the lot and serials, the partner, and for
// returns the move being returned.
import { schema } from '@erp/sdk';
import { type Ctx, DateTime, Uuid } from '../shared/index.js';
import type { PostedMove } from './types.js';

const Decimal = { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' } as const;
const NullableText = { type: ['string', 'null'] } as const;
const NullableDecimal = { type: ['string', 'null'], pattern: '^[0-9]+(\\.[0-9]+)?$' } as const;
const NullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;

const moveFields = {
  moveId: Uuid,
  seq: {
    type: 'integer',
    minimum: 1,
    description: 'Ledger posting order; later moves of the same stock have larger numbers',
  },
  documentId: Uuid,
  itemId: Uuid,
  sku: { type: 'string' },
  warehouseId: Uuid,
  locationId: Uuid,
  lot: NullableText,
  serials: { type: 'array', items: { type: 'string' } },
  reference: NullableText,
  effectiveAt: DateTime,
} as const;
const common = [
  'moveId',
  'seq',
  'documentId',
  'itemId',
  'sku',
  'warehouseId',
  'locationId',
  'qty',
  'lot',
  'serials',
  'effectiveAt',
];

export const StockReceived = schema({
  type: 'object',
  additionalProperties: false,
  required: [...common, 'kind', 'unitCost', 'supplier', 'customer', 'returnOf'],
  properties: {
    ...moveFields,
    kind: { type: 'string', enum: ['receipt', 'customer-return'] },
    qty: { ...Decimal, description: 'Quantity received (> 0)' },
    unitCost: {
      ...NullableDecimal,
      description: 'Unit cost given on the receipt; null when unknown (customer returns)',
    },
    lotExpiresOn: { type: ['string', 'null'], format: 'date' },
    supplier: NullableText,
    customer: { ...NullableText, description: 'For a customer return: the customer of the original issue' },
    returnOf: { ...NullableUuid, description: 'For a customer return: the issue move it returns' },
  },
} as const);

export const StockIssued = schema({
  type: 'object',
  additionalProperties: false,
  required: [...common, 'kind', 'supplier', 'customer', 'returnOf'],
  properties: {
    ...moveFields,
    kind: { type: 'string', enum: ['issue', 'vendor-return'] },
    qty: { ...Decimal, description: 'Quantity issued (> 0)' },
    customer: NullableText,
    supplier: { ...NullableText, description: 'For a vendor return: the supplier of the original receipt' },
    returnOf: { ...NullableUuid, description: 'For a vendor return: the receipt move it returns' },
    projectId: {
      ...NullableUuid,
      description: "The issue document's project (project costing); absent or null when none",
    },
  },
} as const);

export const StockAdjusted = schema({
  type: 'object',
  additionalProperties: false,
  required: [...common, 'reason', 'unitCost'],
  properties: {
    ...moveFields,
    qty: { ...Decimal, description: 'Signed change of on-hand: positive found, negative lost' },
    unitCost: NullableDecimal,
    lotExpiresOn: { type: ['string', 'null'], format: 'date' },
    reason: { type: 'string', description: "'cycle-count' for counts, else the adjustment's reason" },
    countId: NullableUuid,
  },
} as const);

const Leg = {
  type: 'object',
  additionalProperties: false,
  required: ['moveId', 'seq', 'warehouseId', 'locationId'],
  properties: { moveId: Uuid, seq: { type: 'integer' }, warehouseId: Uuid, locationId: Uuid },
} as const;

export const StockTransferred = schema({
  type: 'object',
  additionalProperties: false,
  required: [
    'transferId',
    'documentId',
    'itemId',
    'sku',
    'qty',
    'lot',
    'serials',
    'from',
    'to',
    'effectiveAt',
  ],
  properties: {
    transferId: Uuid,
    documentId: Uuid,
    itemId: Uuid,
    sku: { type: 'string' },
    qty: Decimal,
    lot: NullableText,
    serials: { type: 'array', items: { type: 'string' } },
    from: Leg,
    to: Leg,
    reference: NullableText,
    effectiveAt: DateTime,
  },
} as const);

export const StockBelowReorderPoint = schema({
  type: 'object',
  additionalProperties: false,
  required: ['reorderPointId', 'itemId', 'sku', 'warehouseId', 'onHand', 'minQty', 'reorderQty'],
  properties: {
    reorderPointId: Uuid,
    itemId: Uuid,
    sku: { type: 'string' },
    warehouseId: Uuid,
    onHand: Decimal,
    minQty: Decimal,
    reorderQty: NullableDecimal,
    moveId: NullableUuid,
  },
} as const);

/**
 * One per move reversed by a cancel (contract with costing and lots-serials, see CONTRACTS.md):
 * `moveId`/`seq` are the reversing move's, `documentId` the cancelling document's; the reversal
 * is effective at the original's instant, so the ledger at any date reads as if it had not moved.
 */
export const StockCancelled = schema({
  type: 'object',
  additionalProperties: false,
  required: [
    'moveId',
    'seq',
    'documentId',
    'cancelsMoveId',
    'cancelsDocumentId',
    'cancelsKind',
    'itemId',
    'sku',
    'warehouseId',
    'locationId',
    'qty',
    'direction',
    'lot',
    'serials',
    'effectiveAt',
  ],
  properties: {
    ...moveFields,
    cancelsMoveId: { ...Uuid, description: 'The move this one reverses' },
    cancelsDocumentId: { ...Uuid, description: 'The cancelled document' },
    cancelsKind: {
      type: 'string',
      enum: [
        'receipt',
        'customer-return',
        'issue',
        'vendor-return',
        'transfer-out',
        'transfer-in',
        'adjustment',
        'count',
      ],
    },
    qty: { ...Decimal, pattern: '^[0-9]+(\\.[0-9]+)?$', description: "The original move's quantity (> 0)" },
    direction: {
      type: 'string',
      enum: ['in', 'out'],
      description: "Of the reversing move: 'out' reverses a receipt, 'in' reverses an issue",
    },
  },
} as const);

export const events = {
  'stock.received': StockReceived,
  'stock.issued': StockIssued,
  'stock.adjusted': StockAdjusted,
  'stock.transferred': StockTransferred,
  'stock.below-reorder-point': StockBelowReorderPoint,
  'stock.cancelled': StockCancelled,
};

const base = (m: PostedMove) => ({
  moveId: m.id,
  seq: m.seq,
  documentId: m.documentId,
  itemId: m.itemId,
  sku: m.sku,
  warehouseId: m.warehouseId,
  locationId: m.locationId,
  lot: m.lot,
  serials: m.serials,
  reference: m.reference,
  effectiveAt: m.effectiveAt,
});

/** Publishes stock.received / stock.issued / stock.adjusted for moves of receipts, issues, adjustments and counts. */
export async function publishMoves(
  ctx: Ctx,
  moves: readonly PostedMove[],
  extra: { reason?: string; countId?: string; projectId?: string | null } = {},
) {
  for (const m of moves) {
    if (m.kind === 'receipt' || m.kind === 'customer-return') {
      await ctx.events.publish('stock.received', {
        ...base(m),
        kind: m.kind,
        qty: m.qty,
        unitCost: m.unitCost,
        lotExpiresOn: m.lotExpiresOn,
        supplier: m.kind === 'receipt' ? m.partner : null,
        customer: m.kind === 'customer-return' ? m.partner : null,
        returnOf: m.returnOf,
      });
    } else if (m.kind === 'issue' || m.kind === 'vendor-return') {
      await ctx.events.publish('stock.issued', {
        ...base(m),
        kind: m.kind,
        qty: m.qty.replace(/^-/, ''),
        customer: m.kind === 'issue' ? m.partner : null,
        supplier: m.kind === 'vendor-return' ? m.partner : null,
        returnOf: m.returnOf,
        projectId: extra.projectId ?? null,
      });
    } else if (m.kind === 'adjustment' || m.kind === 'count') {
      await ctx.events.publish('stock.adjusted', {
        ...base(m),
        qty: m.qty,
        unitCost: m.unitCost,
        lotExpiresOn: m.lotExpiresOn,
        reason: m.kind === 'count' ? 'cycle-count' : (extra.reason ?? 'adjustment'),
        countId: extra.countId ?? null,
      });
    }
  }
}

/** Publishes stock.transferred, one event per pair of transfer moves. */
export async function publishTransfer(ctx: Ctx, transferId: string, moves: readonly PostedMove[]) {
  const byId = new Map(moves.map((m) => [m.id, m]));
  for (const out of moves.filter((m) => m.kind === 'transfer-out')) {
    const into = byId.get(out.counterpartId!)!;
    await ctx.events.publish('stock.transferred', {
      transferId,
      documentId: out.documentId,
      itemId: out.itemId,
      sku: out.sku,
      qty: into.qty,
      lot: out.lot,
      serials: out.serials,
      from: { moveId: out.id, seq: out.seq, warehouseId: out.warehouseId, locationId: out.locationId },
      to: { moveId: into.id, seq: into.seq, warehouseId: into.warehouseId, locationId: into.locationId },
      reference: out.reference,
      effectiveAt: out.effectiveAt,
    });
  }
}

/** Publishes stock.cancelled for reversing moves; `moves[i]` reverses `original.moves[i]`. */
export async function publishCancels(
  ctx: Ctx,
  original: {
    id: string;
    moves: readonly { id: string; kind: string; qty: string }[];
  },
  moves: readonly PostedMove[],
) {
  for (const [i, m] of moves.entries()) {
    const o = original.moves[i]!;
    await ctx.events.publish('stock.cancelled', {
      ...base(m),
      cancelsMoveId: o.id,
      cancelsDocumentId: original.id,
      cancelsKind: o.kind as CancelledKind,
      qty: o.qty.replace(/^-/, ''),
      direction: m.qty.startsWith('-') ? 'out' : 'in',
    });
  }
}

type CancelledKind =
  | 'receipt'
  | 'customer-return'
  | 'issue'
  | 'vendor-return'
  | 'transfer-out'
  | 'transfer-in'
  | 'adjustment'
  | 'count';
