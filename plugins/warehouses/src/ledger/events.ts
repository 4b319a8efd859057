// The events this plugin publishes, one per move (per transfer line for stock.transferred), in the
// unit of work that posts it. They carry what a valuation needs without reading this plugin's
// tables: item, warehouse and location, the quantity and unit cost as decimal strings, the move
// and its ledger sequence number, the effective date, the lot and serials, the partner, and for
// returns the move being returned.
import { schema } from '@erp/sdk';
import { type Ctx, DateTime, Uuid } from '../shared/index.js';
import { StockCancelled } from './cancel-events.js';
import { StockReconciled, StockRepacked } from './document-events.js';
import {
  base,
  common,
  Decimal,
  moveFields,
  NullableDecimal,
  NullableText,
  NullableUuid,
} from './event-fields.js';
import type { PostedMove } from './types.js';

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
    unitPrice: {
      ...NullableDecimal,
      description:
        'Sale price per unit given on the issue line; absent or null when none (and for vendor returns)',
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
    purpose: {
      type: 'string',
      enum: ['repack', 'reconciliation'],
      description:
        'A move of a repack or stock reconciliation (also announced whole as stock.repacked / stock.reconciled); absent for plain adjustments and counts',
    },
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

export const events = {
  'stock.received': StockReceived,
  'stock.issued': StockIssued,
  'stock.adjusted': StockAdjusted,
  'stock.transferred': StockTransferred,
  'stock.below-reorder-point': StockBelowReorderPoint,
  'stock.cancelled': StockCancelled,
  'stock.repacked': StockRepacked,
  'stock.reconciled': StockReconciled,
};

/** Publishes stock.received / stock.issued / stock.adjusted for moves of receipts, issues, adjustments and counts. */
export async function publishMoves(
  ctx: Ctx,
  moves: readonly PostedMove[],
  extra: {
    reason?: string;
    countId?: string;
    projectId?: string | null;
    purpose?: 'repack' | 'reconciliation';
  } = {},
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
        unitPrice: m.kind === 'issue' ? m.unitPrice : null,
      });
    } else if (m.kind === 'adjustment' || m.kind === 'count') {
      await ctx.events.publish('stock.adjusted', {
        ...base(m),
        qty: m.qty,
        unitCost: m.unitCost,
        lotExpiresOn: m.lotExpiresOn,
        reason: m.kind === 'count' ? 'cycle-count' : (extra.reason ?? 'adjustment'),
        countId: extra.countId ?? null,
        ...(extra.purpose ? { purpose: extra.purpose } : {}),
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
