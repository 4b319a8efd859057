// What this plugin publishes. The warehouses plugin offers reorder points only through its
// route (PUT /api/v1/p/warehouses/reorder-points, permission warehouses.reorder.write) and
// subscribes to nothing, so an accepted suggestion is announced as an event (for purchasing, or a
// future warehouses subscription) and the accept answer names the warehouses call that applies it,
// which the screen makes with the accepting user's own permission.
import { schema } from '@erp/sdk';

const Uuid = { type: 'string', format: 'uuid' } as const;
const Qty = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' } as const;

export const ReorderSuggestionAccepted = schema({
  type: 'object',
  additionalProperties: false,
  required: ['suggestionId', 'itemId', 'warehouseId', 'minQty', 'reorderQty', 'modelVersion', 'serviceLevel'],
  properties: {
    suggestionId: Uuid,
    itemId: Uuid,
    warehouseId: Uuid,
    /** The reorder point (warehouses' minQty). */
    minQty: Qty,
    reorderQty: Qty,
    modelVersion: { type: 'integer' },
    serviceLevel: { type: 'number' },
  },
} as const);

export const events = { 'reorder-suggestion.accepted': ReorderSuggestionAccepted };
