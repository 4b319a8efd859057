// warehouses.item.upserted: published in the unit of work that creates or changes an item, so other
// plugins (ai-insights' item categorization) keep their own copy without reading this plugin's tables.
import { type Infer, schema } from '@erp/sdk';
import { type Ctx, Uuid } from '../shared/index.js';

const Text = { type: 'string' } as const;
/** category is null when the item has none. */
const fields = { itemId: Uuid, sku: Text, name: Text, category: { type: ['string', 'null'] } } as const;
export const ItemUpserted = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'sku', 'name', 'category'],
  properties: fields,
} as const);

export const itemEvents = { 'item.upserted': ItemUpserted };

export async function publishItem(
  ctx: Ctx,
  item: { id: string; sku: string; name: string; category: string | null },
): Promise<void> {
  const payload: Infer<typeof ItemUpserted> = {
    itemId: item.id,
    sku: item.sku,
    name: item.name,
    category: item.category,
  };
  await ctx.events.publish('item.upserted', payload);
}
