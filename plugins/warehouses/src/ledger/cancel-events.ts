// stock.cancelled: the reversing moves of a cancelled document (contract in CONTRACTS.md).
import { schema } from '@erp/sdk';
import { type Ctx, Uuid } from '../shared/index.js';
import { base, Decimal, moveFields } from './event-fields.js';
import type { MoveKind, PostedMove } from './types.js';

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
      cancelsKind: o.kind as MoveKind,
      qty: o.qty.replace(/^-/, ''),
      direction: m.qty.startsWith('-') ? 'out' : 'in',
    });
  }
}
