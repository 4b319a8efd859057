// Imported opening stock: one receipt document per batch, posted through the ledger like
// POST /receipts. Every row is checked first with the ledger's own checks (resolveSpecs reads
// only, so a refused row leaves the transaction intact) and refused rows are answered with the
// field and why; serial-tracked items are refused (their serial numbers need a receipt).
import { type PluginContext, PluginProblem } from '@erp/sdk';
import { type MoveSpec, postMoves, publishMoves, resolveSpecs } from '../ledger/index.js';
import { effectiveAt, insertDocument } from '../shared/index.js';
import type { Applied, BatchRow } from './types.js';

interface StockData {
  sku: string;
  warehouseCode: string;
  locationCode: string;
  qty: string;
  unitCost?: string;
  lot?: string;
  lotExpiresOn?: string;
}

/** The row field a ledger refusal names (its JSON pointer ends with the spec's field name). */
const FIELD_OF: Record<string, string> = { itemId: 'sku', locationId: 'locationCode' };

export async function importOpeningStock(
  ctx: PluginContext,
  importId: string,
  rows: BatchRow<StockData>[],
  all: boolean,
): Promise<Applied> {
  const items = new Map(
    (
      await ctx.db.query<{ id: string; sku: string; tracking: string }>(
        'select id, lower(sku) as sku, tracking from items where lower(sku) = any($1)',
        [rows.map((r) => r.data.sku.toLowerCase())],
      )
    ).map((i) => [i.sku, i]),
  );
  const locations = new Map(
    (
      await ctx.db.query<{ id: string; key: string }>(
        `select l.id, lower(w.code) || '/' || lower(l.code) as key from locations l
           join warehouses w on w.id = l.warehouse_id where lower(w.code) || '/' || lower(l.code) = any($1)`,
        [rows.map((r) => `${r.data.warehouseCode}/${r.data.locationCode}`.toLowerCase())],
      )
    ).map((l) => [l.key, l.id]),
  );
  const out: Applied = { applied: [], failed: [] };
  const good: { row: number; spec: MoveSpec }[] = [];
  for (const r of rows) {
    const d = r.data;
    const item = items.get(d.sku.toLowerCase());
    const locationId = locations.get(`${d.warehouseCode}/${d.locationCode}`.toLowerCase());
    if (!item) out.failed.push({ row: r.row, field: 'sku', message: `no item ${d.sku}` });
    else if (!locationId)
      out.failed.push({
        row: r.row,
        field: 'locationCode',
        message: `no location ${d.locationCode} in ${d.warehouseCode}`,
      });
    else if (item.tracking === 'serial')
      out.failed.push({
        row: r.row,
        field: 'sku',
        message: `${d.sku} is serial-tracked: receive it with its serial numbers`,
      });
    else {
      const spec: MoveSpec = {
        field: '',
        kind: 'receipt',
        itemId: item.id,
        locationId,
        qty: d.qty,
        lot: d.lot ?? null,
        lotExpiresOn: d.lotExpiresOn ?? null,
        unitCost: d.unitCost ?? null,
        reference: `import ${importId}`,
      };
      try {
        await resolveSpecs(ctx, [spec]);
        good.push({ row: r.row, spec });
      } catch (err) {
        if (!(err instanceof PluginProblem)) throw err;
        const pointer = err.errors?.[0]?.field ?? '';
        const last = pointer.split('/').at(-1) ?? '';
        out.failed.push({
          row: r.row,
          field: FIELD_OF[last] ?? last,
          message: err.errors?.[0]?.message ?? err.title,
        });
      }
    }
  }
  if ((all && out.failed.length) || !good.length) return out;
  const at = await effectiveAt(ctx, undefined, '');
  const documentId = await insertDocument(ctx, {
    kind: 'receipt',
    reference: `import ${importId}`,
    effectiveAt: at,
  });
  const moves = await postMoves(
    ctx,
    documentId,
    at,
    good.map((g) => g.spec),
  );
  await publishMoves(ctx, moves);
  // Each row answers with the receipt document it was posted in (the ledger cannot be rolled back).
  for (const g of good) out.applied.push({ row: g.row, id: documentId });
  return out;
}
