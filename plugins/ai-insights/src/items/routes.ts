// Category suggestions for the tenant's uncategorised warehouses items, by the 'item' classifier
// trained on its categorised items (SKU and name; see categories/suggestions.ts). Accepting one is
// the user's call to warehouses (`apply`: PATCH the item's category); the item then comes back
// through item.upserted as a labelled line for the next version.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { dismissRoute, suggestCategories } from '../categories/index.js';
import { SuggestionQuery } from '../shared/index.js';

const Query = schema({ type: 'object', additionalProperties: false, properties: SuggestionQuery } as const);

export const itemRoutes: Record<string, PluginRoute> = {
  'GET /items/category-suggestions': route({
    permission: 'insights.forecasts.read',
    summary: 'Category suggestions with confidence for warehouses items without a category',
    query: Query,
    async handler(ctx, { query }) {
      const rows = await ctx.db.query<{ itemId: string; sku: string; name: string }>(
        `select item_id as "itemId", sku, name from items
          where category is null and dismissed_at is null order by sku, item_id limit $1`,
        [query.limit ?? 100],
      );
      return suggestCategories(
        ctx,
        'item',
        rows,
        query.threshold ?? 0.7,
        (i) => `${i.sku} ${i.name}`,
        (i, category) => ({
          method: 'PATCH',
          path: `/api/v1/p/warehouses/items/${i.itemId}`,
          permission: 'warehouses.items.write',
          body: { category },
        }),
      );
    },
  }),
  'POST /items/:id/dismiss': dismissRoute({
    resource: 'item',
    table: 'items',
    idColumn: 'item_id',
    dismiss: `update items set dismissed_by = $2, dismissed_at = now() where item_id = $1 and dismissed_at is null`,
    notFoundCode: 'INSIGHTS_ITEM_NOT_FOUND',
    label: 'Item',
  }),
};
