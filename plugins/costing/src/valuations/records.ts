// The engine's receipt and issue records of one valuation. The engine runs with keepHistory: false
// (memory bounded by open layers), so a return or landed cost against a receipt or issue it no
// longer holds gets the record back as `original`: from what this costing pass produced, or, when
// the pass continues from the saved state, from receipt_costs / issue_costs. A re-cost from the
// first step starts from nothing and rewrites the valuation's records.
import type { IssueRecord, ReceiptRecord, StepResult } from '../engine/index.js';
import type { Ctx } from '../shared/index.js';
import type { ValuationKey } from './types.js';

const RECEIPT = `receipt_id as "receiptId", iso(at) as date, trim_scale(qty)::text as qty,
  trim_scale(unit_cost)::text as "unitCost", trim_scale(value)::text as value, trim_scale(landed)::text as landed,
  trim_scale(returned_qty)::text as "returnedQty", trim_scale(returned_value)::text as "returnedValue",
  trim_scale(billed_qty)::text as "billedQty"`;
const ISSUE = `issue_id as "issueId", iso(at) as date, trim_scale(qty)::text as qty, trim_scale(cogs)::text as cogs,
  corrections, trim_scale(pending_qty)::text as "pendingQty", trim_scale(returned_qty)::text as "returnedQty",
  trim_scale(returned_value)::text as "returnedValue", serial_costs as "serialCosts"`;

/** A record without `serialCosts` has none (the column is null), as the engine expects. */
function issueRecord(row: (IssueRecord & { serialCosts?: IssueRecord['serialCosts'] | null }) | null) {
  if (!row) return undefined;
  const { serialCosts, ...rest } = row;
  return serialCosts ? { ...rest, serialCosts } : rest;
}

export async function readReceipt(ctx: Ctx, id: string): Promise<ReceiptRecord | undefined> {
  return (
    (await ctx.db.one<ReceiptRecord>(`select ${RECEIPT} from receipt_costs where receipt_id = $1`, [id])) ??
    undefined
  );
}

export async function readIssue(ctx: Ctx, id: string): Promise<IssueRecord | undefined> {
  return issueRecord(
    await ctx.db.one<IssueRecord>(`select ${ISSUE} from issue_costs where issue_id = $1`, [id]),
  );
}

export class Records {
  private readonly receipts = new Map<string, ReceiptRecord>();
  private readonly issues = new Map<string, IssueRecord>();
  private readonly dirty = new Set<string>();

  /** `fresh`: a re-cost from the first step, which must not see the records it is replacing. */
  constructor(
    private readonly ctx: Ctx,
    private readonly key: ValuationKey,
    private readonly fresh: boolean,
  ) {}

  async receipt(id: string): Promise<ReceiptRecord | undefined> {
    if (this.receipts.has(id) || this.fresh) return this.receipts.get(id);
    const r = await readReceipt(this.ctx, id);
    if (r) this.receipts.set(id, r);
    return r;
  }

  async issue(id: string): Promise<IssueRecord | undefined> {
    if (this.issues.has(id) || this.fresh) return this.issues.get(id);
    const r = await readIssue(this.ctx, id);
    if (r) this.issues.set(id, r);
    return r;
  }

  /** Takes the records a step created or changed. */
  take(result: StepResult) {
    for (const r of result.receipts) {
      this.receipts.set(r.receiptId, r);
      this.dirty.add(r.receiptId);
    }
    for (const i of result.issues) {
      this.issues.set(i.issueId, i);
      this.dirty.add(i.issueId);
    }
  }

  /** Ids of the records this pass wrote. */
  written(): string[] {
    return [...this.dirty];
  }

  async save(): Promise<void> {
    const { ctx, key } = this;
    if (this.fresh) {
      await ctx.db.query('delete from receipt_costs where item_id = $1 and warehouse_id = $2', [
        key.itemId,
        key.warehouseId,
      ]);
      await ctx.db.query('delete from issue_costs where item_id = $1 and warehouse_id = $2', [
        key.itemId,
        key.warehouseId,
      ]);
    }
    const receipts = [...this.dirty].flatMap((id) => (this.receipts.has(id) ? [this.receipts.get(id)!] : []));
    const issues = [...this.dirty].flatMap((id) => (this.issues.has(id) ? [this.issues.get(id)!] : []));
    if (receipts.length) {
      await ctx.db.query(
        `insert into receipt_costs (receipt_id, item_id, warehouse_id, at, qty, unit_cost, value, landed, returned_qty,
                                    returned_value, billed_qty)
         select x."receiptId", $2, $3, x.date, x.qty, x."unitCost", x.value, x.landed, x."returnedQty", x."returnedValue",
                coalesce(x."billedQty", 0)
           from jsonb_to_recordset($1::jsonb) as x("receiptId" uuid, date timestamptz, qty numeric, "unitCost" numeric,
                value numeric, landed numeric, "returnedQty" numeric, "returnedValue" numeric, "billedQty" numeric)
         on conflict (tenant_id, receipt_id) do update set qty = excluded.qty, unit_cost = excluded.unit_cost,
           value = excluded.value, landed = excluded.landed, returned_qty = excluded.returned_qty,
           returned_value = excluded.returned_value, billed_qty = excluded.billed_qty, at = excluded.at`,
        [JSON.stringify(receipts), key.itemId, key.warehouseId],
      );
    }
    if (issues.length) {
      await ctx.db.query(
        `insert into issue_costs (issue_id, item_id, warehouse_id, at, qty, cogs, corrections, corrected, pending_qty,
                                  returned_qty, returned_value, serial_costs)
         select x."issueId", $2, $3, x.date, x.qty, x.cogs, x.corrections,
                coalesce((select sum((c->>'amount')::numeric) from jsonb_array_elements(x.corrections) c), 0),
                x."pendingQty", x."returnedQty", x."returnedValue", x."serialCosts"
           from jsonb_to_recordset($1::jsonb) as x("issueId" uuid, date timestamptz, qty numeric, cogs numeric,
                corrections jsonb, "pendingQty" numeric, "returnedQty" numeric, "returnedValue" numeric,
                "serialCosts" jsonb)
         on conflict (tenant_id, issue_id) do update set qty = excluded.qty, cogs = excluded.cogs,
           corrections = excluded.corrections, corrected = excluded.corrected, pending_qty = excluded.pending_qty,
           returned_qty = excluded.returned_qty, returned_value = excluded.returned_value, at = excluded.at,
           serial_costs = excluded.serial_costs`,
        [JSON.stringify(issues), key.itemId, key.warehouseId],
      );
    }
  }
}
