// A valuation: one item's stock value under one costing method. Steps are atomic: each validates
// its whole input against the current state before changing anything, so a refused step (a thrown
// CostingError) leaves the valuation exactly as it was.
import { type Dec, money, str, ZERO } from './decimal.js';
import { CostingErrorCode as C, fail } from './errors.js';
import { LayerQueue } from './layers.js';
import { issueToJSON, receiptToJSON } from './records.js';
import { fromSnapshot, toSnapshot } from './snapshot.js';
import { isLayered, type State, zeroVariances } from './state.js';
import { bill } from './steps/bill.js';
import { changeMethod } from './steps/change-method.js';
import { count } from './steps/count.js';
import { customerReturn } from './steps/customer-return.js';
import { issue } from './steps/issue.js';
import { landedCost } from './steps/landed-cost.js';
import { receive } from './steps/receive.js';
import { revalue } from './steps/revalue.js';
import { vendorReturn } from './steps/vendor-return.js';
import { layerOwner } from './stock.js';
import {
  type BillInput,
  type BillResult,
  type ChangeMethodInput,
  type CostingMethod,
  type CountInput,
  type CustomerReturnInput,
  type Decimal,
  type IssueCost,
  type IssueInput,
  type IssueRecord,
  type IssueResult,
  type LandedCostInput,
  type LayerView,
  type PendingIssueView,
  type ReceiptRecord,
  type ReceiveInput,
  type RevalueInput,
  type StepResult,
  type Totals,
  VARIANCE_KINDS,
  type ValuationOptions,
  type ValuationSnapshot,
  type VarianceKind,
  type VendorReturnInput,
} from './types.js';
import { requireMethod, requireObject, requireUnitCost } from './validate.js';

export class Valuation {
  /** Use createValuation or restoreValuation. */
  private constructor(private readonly state: State) {}

  /** @internal */
  static of(state: State): Valuation {
    return new Valuation(state);
  }

  get method(): CostingMethod {
    return this.state.method;
  }

  get settings(): {
    currencyDecimals: number;
    allowNegativeStock: boolean;
    keepHistory: boolean;
    standardPrice: Decimal | null;
  } {
    const s = this.state;
    return {
      currencyDecimals: s.money.decimals,
      allowNegativeStock: s.allowNegativeStock,
      keepHistory: s.keepHistory,
      standardPrice: s.standardPrice ? str(s.standardPrice) : null,
    };
  }

  // ---- steps -------------------------------------------------------------------------------

  receive(input: ReceiveInput): StepResult {
    return receive(this.state, input);
  }

  issue(input: IssueInput): IssueResult {
    return issue(this.state, input);
  }

  customerReturn(input: CustomerReturnInput): StepResult {
    return customerReturn(this.state, input);
  }

  vendorReturn(input: VendorReturnInput): StepResult {
    return vendorReturn(this.state, input);
  }

  landedCost(input: LandedCostInput): StepResult {
    return landedCost(this.state, input);
  }

  revalue(input: RevalueInput): StepResult {
    return revalue(this.state, input);
  }

  changeMethod(input: ChangeMethodInput): StepResult {
    return changeMethod(this.state, input);
  }

  /** A stock count with a rate: sets the quantity on hand and the unit cost absolutely. */
  count(input: CountInput): StepResult {
    return count(this.state, input);
  }

  /** A vendor bill against a receipt: its price (and currency rate) against the receipt's value. */
  bill(input: BillInput): BillResult {
    return bill(this.state, input);
  }

  /**
   * Sets the unit cost: with stock on hand a revaluation; with nothing on hand (average, standard)
   * it revalues nothing and prices the next issues. Same as `revalue` with `unitCost`.
   */
  setUnitCost(input: { id: string; date: string; unitCost: Decimal }): StepResult {
    return revalue(this.state, { revaluationId: input.id, date: input.date, unitCost: input.unitCost });
  }

  // ---- read back ---------------------------------------------------------------------------

  qtyOnHand(): Decimal {
    return str(this.state.qty);
  }

  valueOnHand(): Decimal {
    return str(this.state.value);
  }

  /**
   * The unit cost stock is carried at now (the average, the standard price, or value ÷ qty over
   * the layers), unrounded to RATE_DECIMALS places; null when nothing is on hand.
   */
  unitCost(): Decimal | null {
    const s = this.state;
    if (s.method === 'standard') return str(s.standardPrice!);
    if (s.qty.lte(ZERO)) return null;
    return str(s.value.div(s.qty));
  }

  /** Open layers in arrival order; values under FIFO and LIFO only. */
  layers(): LayerView[] {
    const valued = isLayered(this.state.method);
    return this.state.layers.toArray().map((l) => {
      const view: LayerView = { id: l.id, kind: l.kind, date: l.date, qty: str(l.qty) };
      if (valued) view.value = str(l.value);
      if (l.lot !== undefined) view.lot = l.lot;
      if (l.serials !== undefined) view.serials = [...l.serials];
      return view;
    });
  }

  /** Issues made below zero still waiting for stock, oldest first. */
  pendingIssues(): PendingIssueView[] {
    return this.state.pending.map((p) => ({
      issueId: p.issue.issueId,
      date: p.issue.date,
      qty: str(p.qty),
      value: str(p.value),
    }));
  }

  getReceipt(receiptId: string): ReceiptRecord | undefined {
    const r = this.state.receipts.get(receiptId);
    return r && receiptToJSON(r);
  }

  getIssue(issueId: string): IssueRecord | undefined {
    const i = this.state.issues.get(issueId);
    return i && issueToJSON(i);
  }

  /** COGS of an issue the valuation holds, with its corrections and returns. */
  issueCost(issueId: string): IssueCost | undefined {
    const i = this.state.issues.get(issueId);
    if (!i) return undefined;
    const total = i.corrections.reduce((sum, c) => sum.plus(c.amount), i.cogs);
    const record = issueToJSON(i);
    return {
      issueId: i.issueId,
      qty: record.qty,
      cogs: record.cogs,
      corrections: record.corrections,
      totalCogs: str(total),
      returnedQty: record.returnedQty,
      returnedValue: record.returnedValue,
      netCogs: str(total.minus(i.returnedValue)),
      pendingQty: record.pendingQty,
    };
  }

  variances(): Record<VarianceKind, Decimal> {
    const v = this.state.totals.variances;
    return Object.fromEntries(VARIANCE_KINDS.map((k) => [k, str(v[k])])) as Record<VarianceKind, Decimal>;
  }

  /** Cumulative figures since the valuation began; received + landed + revaluation = cogs + variance + value. */
  totals(): Totals {
    const s = this.state;
    const t = s.totals;
    const variance = VARIANCE_KINDS.reduce((sum: Dec, k) => sum.plus(t.variances[k]), ZERO);
    return {
      qty: str(s.qty),
      value: str(s.value),
      received: str(t.received),
      landed: str(t.landed),
      revaluation: str(t.revaluation),
      cogs: str(t.cogs),
      variance: str(variance),
      variances: this.variances(),
    };
  }

  // ---- persistence -------------------------------------------------------------------------

  /** @internal Puts the valuation back to a snapshot of itself (a repack that was refused). */
  resetTo(snapshot: ValuationSnapshot): void {
    Object.assign(this.state, fromSnapshot(snapshot));
  }

  /** Drops receipt and issue records that no open layer or pending issue needs (after persisting them). */
  forgetHistory(): void {
    const s = this.state;
    // A line of serials at several costs holds layers `<id>`, `<id>#2`…: any of them keeps the record.
    const open = new Set(s.layers.toArray().flatMap((l) => (l.kind === 'receipt' ? [layerOwner(l.id)] : [])));
    for (const id of s.receipts.keys()) if (!open.has(id)) s.receipts.delete(id);
    for (const [id, rec] of s.issues) if (rec.pendingQty.eq(ZERO)) s.issues.delete(id);
  }

  toJSON(): ValuationSnapshot {
    return toSnapshot(this.state);
  }
}

export function createValuation(options: ValuationOptions): Valuation {
  const o = requireObject(options, '');
  const method = requireMethod(o.method, 'method');
  const decimals = o.currencyDecimals ?? 2;
  if (!Number.isInteger(decimals) || (decimals as number) < 0 || (decimals as number) > 12) {
    fail(C.INVALID_SETTING, 'currencyDecimals', 'must be an integer from 0 to 12');
  }
  for (const flag of ['allowNegativeStock', 'keepHistory'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean')
      fail(C.INVALID_SETTING, flag, 'must be a boolean');
  }
  // Kept under every method: the cost price is the first fallback for issues below zero.
  if (method === 'standard' && o.standardPrice === undefined)
    fail(C.INVALID_SETTING, 'standardPrice', 'is required for standard cost');
  const standardPrice: Dec | null =
    o.standardPrice === undefined ? null : requireUnitCost(o.standardPrice, 'standardPrice');
  return Valuation.of({
    method,
    money: money(decimals as number),
    allowNegativeStock: (o.allowNegativeStock as boolean | undefined) ?? false,
    keepHistory: (o.keepHistory as boolean | undefined) ?? true,
    standardPrice,
    qty: ZERO,
    value: ZERO,
    lastCost: null,
    layers: new LayerQueue(),
    pending: [],
    receipts: new Map(),
    issues: new Map(),
    totals: { received: ZERO, landed: ZERO, revaluation: ZERO, cogs: ZERO, variances: zeroVariances() },
  });
}

/** Rebuilds a valuation from toJSON(); a malformed or inconsistent snapshot is refused. */
export function restoreValuation(snapshot: ValuationSnapshot): Valuation {
  return Valuation.of(fromSnapshot(snapshot));
}
