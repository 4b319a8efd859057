// A costing document's step against a receipt: a landed cost line, or a vendor bill line (a
// `landed-cost` step with `input.bill`, migration 0002). A receipt the warehouses ledger has since
// cancelled is gone from the valuation: the step waits, saying so, until the document is cancelled
// too (costing cannot refuse the cancel, which warehouses owns).
import type { StepResult, Valuation } from '../engine/index.js';
import type { Ctx } from '../shared/index.js';
import { stored } from './apply-documents.js';
import type { Records } from './records.js';
import type { StepRow, StoredEntry } from './types.js';
import { CostingWait } from './wait.js';

interface Hooks {
  records: Records;
  plugin: Ctx;
  take(r: StepResult): void;
}

export async function applyLandedCost(v: Valuation, step: StepRow, hooks: Hooks): Promise<StoredEntry[]> {
  const rec = await hooks.records.receipt(step.ref!);
  if (
    !rec &&
    (await hooks.plugin.db.one('select 1 as ok from cancelled_moves where move_id = $1', [step.ref!]))
  )
    throw new CostingWait(
      'COSTING_RECEIPT_CANCELLED',
      `receipt ${step.ref} was cancelled in warehouses: cancel this landed cost or vendor bill`,
    );
  const base = { date: step.at };
  const billOf = (step.input as { bill?: { qty?: string; unitPrice: string; rate?: string } }).bill;
  const r = billOf
    ? v.bill({
        ...base,
        billId: step.id,
        receiptId: step.ref!,
        unitPrice: billOf.unitPrice,
        ...(billOf.qty !== undefined ? { qty: billOf.qty } : {}),
        ...(billOf.rate !== undefined ? { rate: billOf.rate } : {}),
        ...(rec ? { original: rec } : {}),
      })
    : v.landedCost({
        ...base,
        landedCostId: step.id,
        amount: step.amount!,
        split: 'equal',
        lines: [{ receiptId: step.ref!, ...(rec ? { original: rec } : {}) }],
      });
  hooks.take(r);
  return r.entries.map((e) => stored(e));
}
