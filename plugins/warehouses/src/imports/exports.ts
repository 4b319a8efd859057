// Warehouses as an export source of the integrations plugin: integrations.export.requested for
// warehouses.items is answered by export.page events of at most pageSize items in SKU order (keyset
// paging: one page in memory at a time), the last page saying how many there are.
import type { EventEnvelope, PluginContext } from '@erp/sdk';

interface Request {
  exportId: string;
  target: string;
  filter: { search?: string; tracking?: string; active?: boolean };
  pageSize: number;
}

type Item = Record<string, unknown> & { sku: string };

function page(ctx: PluginContext, r: Request, after: string | null): Promise<Item[]> {
  return ctx.db.query<Item>(
    `select id, sku, name, uom, qty_scale as "qtyScale", tracking, active from items
      where ($1::text is null or sku ilike '%' || $1 || '%' or name ilike '%' || $1 || '%')
        and ($2::text is null or tracking = $2) and ($3::boolean is null or active = $3)
        and ($4::text is null or lower(sku) > lower($4))
      order by lower(sku) limit $5`,
    [r.filter.search ?? null, r.filter.tracking ?? null, r.filter.active ?? null, after, r.pageSize],
  );
}

export async function onExportRequested(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const r = event.payload as unknown as Request;
  if (r.target !== 'warehouses.items') return;
  let current = await page(ctx, r, null);
  for (let n = 0; ; n++) {
    const next = current.length === r.pageSize ? await page(ctx, r, current.at(-1)!.sku) : [];
    const last = next.length === 0;
    await ctx.events.publish('export.page', {
      exportId: r.exportId,
      page: n,
      pages: last ? n + 1 : null,
      rows: current as never,
    });
    if (last) return;
    current = next;
  }
}
