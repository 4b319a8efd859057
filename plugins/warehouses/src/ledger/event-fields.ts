// Fields every move event shares, and the payload fields taken from a posted move.
import { DateTime, Uuid } from '../shared/index.js';
import type { PostedMove } from './types.js';

export const Decimal = { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' } as const;
export const NullableText = { type: ['string', 'null'] } as const;
export const NullableDecimal = { type: ['string', 'null'], pattern: '^[0-9]+(\\.[0-9]+)?$' } as const;
export const NullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;

export const moveFields = {
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
export const common = [
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

export const base = (m: PostedMove) => ({
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
