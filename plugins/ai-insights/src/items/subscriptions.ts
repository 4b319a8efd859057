// warehouses.item.upserted → this plugin's own `items` table, the latest state per item (published
// when an item is created, imported or changed, e.g. its category set; a dismissal is kept). A
// tenant's items train only that tenant's classifier. Events may arrive late or twice (at least once
// delivery): a row changes only for an event published after the one it holds (`sequence`).
import { keepCopy } from '../shared/index.js';

export const itemSubscriptions = {
  'item-upserted': keepCopy<{ itemId: string; sku: string; name: string; category: string | null }>(
    'warehouses.item.upserted',
    `insert into items (item_id, sku, name, category, sequence) values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, item_id) do update set sku = excluded.sku, name = excluded.name,
       category = excluded.category, sequence = excluded.sequence, updated_at = now()
     where items.sequence is null or excluded.sequence is null or items.sequence < excluded.sequence`,
    (p, e) => [p.itemId, p.sku, p.name, p.category, e.sequence ?? null],
  ),
};
