// Imported items: one insert for the batch; a SKU that exists (or repeats in the file) is refused
// for its row. In all-or-nothing mode a refused row leaves the whole batch unapplied.
import type { PluginContext } from '@erp/sdk';
import { publishItem } from '../catalogue/events.js';
import type { Applied, BatchRow } from './types.js';

interface ItemData {
  sku: string;
  name: string;
  uom: string;
  qtyScale?: number;
  tracking?: 'none' | 'lot' | 'serial';
}

export async function importItems(
  ctx: PluginContext,
  rows: BatchRow<ItemData>[],
  all: boolean,
): Promise<Applied> {
  const failed: Applied['failed'] = [];
  const seen = new Set<string>();
  const good: BatchRow<ItemData>[] = [];
  for (const r of rows) {
    const key = r.data.sku.toLowerCase();
    if (seen.has(key))
      failed.push({ row: r.row, field: 'sku', message: `${r.data.sku} appears twice in the file` });
    else if (r.data.tracking === 'serial' && (r.data.qtyScale ?? 0) !== 0)
      failed.push({ row: r.row, field: 'qtyScale', message: 'must be 0 for serial tracking' });
    else good.push(r);
    seen.add(key);
  }
  const taken = await ctx.db.query<{ sku: string }>(
    'select lower(sku) as sku from items where lower(sku) = any($1)',
    [good.map((r) => r.data.sku.toLowerCase())],
  );
  const exists = new Set(taken.map((t) => t.sku));
  const fresh = good.filter((r) => {
    if (!exists.has(r.data.sku.toLowerCase())) return true;
    failed.push({ row: r.row, field: 'sku', message: `${r.data.sku} exists` });
    return false;
  });
  if ((all && failed.length) || !fresh.length) return { applied: [], failed };
  const created = await ctx.db.query<{ id: string; sku: string; asGiven: string; name: string }>(
    `insert into items (sku, name, uom, qty_scale, tracking)
     select r.sku, r.name, r.uom, coalesce(r."qtyScale", 0), coalesce(r.tracking, 'none')
       from jsonb_to_recordset($1::jsonb) as r(sku text, name text, uom text, "qtyScale" smallint, tracking text)
     on conflict do nothing returning id, lower(sku) as sku, sku as "asGiven", name`,
    [JSON.stringify(fresh.map((r) => r.data))],
  );
  // Announced like items created by hand (uncategorised: ai-insights offers them categories).
  for (const c of created) await publishItem(ctx, { id: c.id, sku: c.asGiven, name: c.name, category: null });
  const ids = new Map(created.map((c) => [c.sku, c.id]));
  const applied: Applied['applied'] = [];
  for (const r of fresh) {
    const id = ids.get(r.data.sku.toLowerCase());
    if (id) applied.push({ row: r.row, id });
    else failed.push({ row: r.row, field: 'sku', message: `${r.data.sku} exists` });
  }
  return { applied, failed };
}
