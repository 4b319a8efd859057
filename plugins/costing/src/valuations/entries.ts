// The entries table: what each applied step did to the valuation, one balanced row per engine
// entry. Stock on hand at a date is the sum of qty and stock up to it.
import type { Ctx } from '../shared/index.js';
import type { StoredEntry, ValuationKey } from './types.js';

export interface StepEntries {
  stepId: string;
  at: string;
  entries: StoredEntry[];
}

export async function deleteEntries(ctx: Ctx, key: ValuationKey) {
  await ctx.db.query('delete from entries where item_id = $1 and warehouse_id = $2', [
    key.itemId,
    key.warehouseId,
  ]);
}

export async function insertEntries(ctx: Ctx, key: ValuationKey, steps: readonly StepEntries[]) {
  const rows = steps.flatMap((s) =>
    s.entries.map((e, n) => ({
      step_id: s.stepId,
      n,
      at: s.at,
      type: e.type,
      ref: e.ref ?? null,
      qty: e.qty,
      stock: e.stock,
      received: e.received,
      landed: e.landed,
      revaluation: e.revaluation,
      cogs: e.cogs,
      variance: e.variance,
      variance_kind: e.varianceKind ?? null,
      transfer: e.transfer,
      adjustment: e.adjustment,
    })),
  );
  if (!rows.length) return;
  await ctx.db.query(
    `insert into entries (step_id, n, item_id, warehouse_id, at, type, ref, qty, stock, received, landed, revaluation,
                          cogs, variance, variance_kind, transfer, adjustment)
     select step_id, n, $2, $3, at, type, ref, qty, stock, received, landed, revaluation, cogs, variance, variance_kind,
            transfer, adjustment
       from jsonb_to_recordset($1::jsonb) as x(step_id uuid, n smallint, at timestamptz, type text, ref text,
            qty numeric, stock numeric, received numeric, landed numeric, revaluation numeric, cogs numeric,
            variance numeric, variance_kind text, transfer numeric, adjustment numeric)`,
    [JSON.stringify(rows), key.itemId, key.warehouseId],
  );
}
