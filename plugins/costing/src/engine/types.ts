// The engine's public shapes. Everything that goes in or comes out is plain JSON: decimals are
// strings in plain notation ("12.50"), never JavaScript numbers, so a plugin can store them in
// Postgres `numeric` columns and hand them back unchanged.

/** A decimal in plain notation: optional "-", digits, optional "." and digits. */
export type Decimal = string;
/** An ISO 8601 date or date-time (`2025-03-01`, `2025-03-01T10:00:00Z`). Kept as given. */
export type DateString = string;

/** `specific`: specific identification, each serial or batch (`lot`) carries its own cost. */
export type CostingMethod = 'fifo' | 'lifo' | 'average' | 'standard' | 'specific';
export const COSTING_METHODS: readonly CostingMethod[] = ['fifo', 'lifo', 'average', 'standard', 'specific'];

export interface ValuationOptions {
  method: CostingMethod;
  /**
   * The item's cost price. Required for `standard` (the price each unit is carried at); under the
   * other methods it is kept as the fallback cost of an issue below zero with no cost history.
   */
  standardPrice?: Decimal;
  /** Decimals of the currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD). Default 2. */
  currencyDecimals?: number;
  /** Allow issues beyond the quantity on hand (costed provisionally, corrected later). Default false. */
  allowNegativeStock?: boolean;
  /**
   * Keep every receipt and issue record in memory (default true). With false the engine keeps only
   * what open layers and pending negative issues need; the caller persists the records each step
   * returns and passes the original record (`original`) when it returns or lands a cost against a
   * receipt or issue the engine no longer holds. Memory is then bounded by open layers, not moves.
   */
  keepHistory?: boolean;
}

export interface ReceiveInput {
  receiptId: string;
  date: DateString;
  qty: Decimal;
  /** Purchase price per unit, unrounded; zero is allowed (free goods, samples). */
  unitCost: Decimal;
  /** Specific identification: the serial or batch received (required there, ignored otherwise). */
  lot?: string;
  /**
   * Specific identification: the serials of a line of several serial units, one unit each (`qty`
   * must be their count); instead of `lot`.
   */
  serials?: string[];
  /**
   * Specific identification, with `serials`: each serial's own cost (one unit each; every serial
   * of the line, no other). The line is valued at their sum, not at qty × unitCost, and its serials
   * keep their costs in layers per cost (a transfer in, a return into another warehouse).
   */
  serialCosts?: Record<string, Decimal>;
}

export interface IssueInput {
  issueId: string;
  date: DateString;
  qty: Decimal;
  /**
   * The item's last purchase price known to the caller (e.g. from another warehouse): the second
   * fallback for units issued below zero when this valuation has no cost history.
   */
  lastPurchasePrice?: Decimal;
  /** Specific identification: the serial or batch issued (required there, ignored otherwise). */
  lot?: string;
  /**
   * Specific identification: the serials of a line of several serial units, one unit each (`qty`
   * must be their count); instead of `lot`.
   */
  serials?: string[];
}

/** Where the provisional cost of units issued below zero came from (see README, fallback cost). */
export type CostSource = 'last_cost' | 'cost_price' | 'last_purchase_price' | 'zero';

export interface CostingWarning {
  code: 'COSTING_ZERO_COST_FALLBACK';
  message: string;
}

/** A stock count with a rate (ERPNext's stock reconciliation): sets quantity and unit cost absolutely. */
export interface CountInput {
  countId: string;
  date: DateString;
  /** The quantity counted (zero or more). */
  qty: Decimal;
  /** The unit cost to carry the counted units at (under standard: the new standard price). */
  unitCost: Decimal;
}

/** A vendor bill line against one receipt of this item. */
export interface BillInput {
  billId: string;
  receiptId: string;
  date: DateString;
  /** Units billed; default all that the receipt has left to bill. */
  qty?: Decimal;
  /** Price per unit in the bill's currency. */
  unitPrice: Decimal;
  /** Units of the valuation's currency per unit of the bill's currency (default 1). */
  rate?: Decimal;
  original?: ReceiptRecord;
}

export interface BillResult extends StepResult {
  /** round(qty × unitPrice × rate) − the receipt's value for those units. */
  difference: Decimal;
  /** The part of the difference added to the value on hand. */
  capitalised: Decimal;
}

export interface CustomerReturnInput {
  returnId: string;
  /** The issue (delivery) the goods come back from; they come back at that issue's cost. */
  issueId: string;
  date: DateString;
  qty: Decimal;
  /** The issue's record as last returned by the engine, when the engine no longer holds it. */
  original?: IssueRecord;
  /** Specific identification: the serial or batch coming back (required there). */
  lot?: string;
  /**
   * Specific identification: the serials of a line of several serial units, one unit each (`qty`
   * must be their count); instead of `lot`.
   */
  serials?: string[];
}

export interface VendorReturnInput {
  returnId: string;
  /** The receipt the goods go back against. */
  receiptId: string;
  date: DateString;
  qty: Decimal;
  /** The receipt's record as last returned by the engine, when the engine no longer holds it. */
  original?: ReceiptRecord;
  /**
   * Average cost only: the units leave at the current average (`average`, Odoo, the default; the
   * gap to the vendor's credit is a variance) or at the receipt's cost as credited (`receipt`,
   * ERPNext's return at the original rate; the average moves).
   */
  valueAt?: 'average' | 'receipt';
  /**
   * Specific identification, a receipt line of several serials: the serials going back (they must
   * be among the receipt's units on hand). A batch or one-serial receipt needs none.
   */
  serials?: string[];
  /** Specific identification: one serial going back from such a line (the same as `serials: [lot]`). */
  lot?: string;
}

export type LandedCostSplit = 'equal' | 'quantity' | 'value' | 'weight' | 'volume';
export const LANDED_COST_SPLITS: readonly LandedCostSplit[] = [
  'equal',
  'quantity',
  'value',
  'weight',
  'volume',
];

export interface LandedCostLine {
  receiptId: string;
  /** Total weight of the receipt line (needed for split `weight`). */
  weight?: Decimal;
  /** Total volume of the receipt line (needed for split `volume`). */
  volume?: Decimal;
  original?: ReceiptRecord;
}

export interface LandedCostInput {
  landedCostId: string;
  date: DateString;
  /** Total to allocate, in the currency (at most `currencyDecimals` decimals), positive. */
  amount: Decimal;
  split: LandedCostSplit;
  lines: LandedCostLine[];
}

/** Exactly one of `unitCost` (revalue everything on hand to this unit cost) or `amount` (add). */
export interface RevalueInput {
  revaluationId: string;
  date: DateString;
  /** Under `standard`, the new standard price. */
  unitCost?: Decimal;
  /** Value to add to (or, negative, take from) the stock on hand; not under `standard`. */
  amount?: Decimal;
}

export interface ChangeMethodInput {
  changeId: string;
  date: DateString;
  method: CostingMethod;
  /** Required when changing to `standard` (defaults to `revaluation.unitCost`). */
  standardPrice?: Decimal;
  /** Required when stock is on hand: everything on hand is revalued to this unit cost. */
  revaluation?: { unitCost: Decimal };
}

export type EntryType =
  | 'receipt'
  | 'issue'
  | 'customer_return'
  | 'vendor_return'
  | 'landed_cost'
  | 'revaluation'
  | 'method_change'
  | 'negative_correction'
  | 'stock_count'
  | 'vendor_bill'
  | 'repack_consume'
  | 'repack_produce';

export type VarianceKind = 'purchase_price' | 'landed_cost' | 'vendor_return' | 'customer_return';
export const VARIANCE_KINDS: readonly VarianceKind[] = [
  'purchase_price',
  'landed_cost',
  'vendor_return',
  'customer_return',
];

/**
 * One accounting effect of a step. Every entry balances on its own:
 *   received + landed + revaluation = cogs + variance + stock
 * (sources of value on the left, where it went on the right), so the totals balance too.
 */
export interface Entry {
  type: EntryType;
  /** The id of the step that produced the entry (receipt, issue, return, landed cost …). */
  id: string;
  /** The receipt or issue the entry refers to (returns, landed cost lines, corrections). */
  ref?: string;
  date: DateString;
  /** Change in quantity on hand. */
  qty: Decimal;
  /** Change in value on hand. */
  stock: Decimal;
  /** Value received from (positive) or returned to (negative) vendors. */
  received: Decimal;
  landed: Decimal;
  revaluation: Decimal;
  /** Cost of goods sold: issues, corrections, landed cost on issued units, customer returns (negative). */
  cogs: Decimal;
  variance: Decimal;
  varianceKind?: VarianceKind;
}

export interface ReceiptRecord {
  receiptId: string;
  date: DateString;
  qty: Decimal;
  unitCost: Decimal;
  /** qty × unitCost rounded to the minor unit. */
  value: Decimal;
  /** All landed cost allocated to this receipt (capitalised and expensed). */
  landed: Decimal;
  returnedQty: Decimal;
  /** Value credited back by vendor returns (and landed cost expensed for units already returned). */
  returnedValue: Decimal;
  /** Units billed by vendor bills (absent: none). */
  billedQty?: Decimal;
}

export interface IssueCorrection {
  /** The receipt or customer return whose arrival settled the negative stock. */
  id: string;
  date: DateString;
  amount: Decimal;
}

export interface IssueRecord {
  issueId: string;
  date: DateString;
  qty: Decimal;
  /** COGS booked when the issue was made (provisional for units issued below zero). */
  cogs: Decimal;
  /** Corrections of the provisional part, one per arrival that settled it. */
  corrections: IssueCorrection[];
  /** Units issued below zero whose actual cost is not known yet. */
  pendingQty: Decimal;
  returnedQty: Decimal;
  /** Value taken back into stock by customer returns. */
  returnedValue: Decimal;
  /**
   * Specific identification, an issue of several serials: each serial's cost when it left, so a
   * transfer in or a customer return brings each back at its own cost (absent otherwise).
   */
  serialCosts?: Record<string, Decimal>;
}

export interface IssueCost {
  issueId: string;
  qty: Decimal;
  cogs: Decimal;
  corrections: IssueCorrection[];
  /** cogs + corrections. */
  totalCogs: Decimal;
  returnedQty: Decimal;
  returnedValue: Decimal;
  /** totalCogs − returnedValue. */
  netCogs: Decimal;
  pendingQty: Decimal;
}

/** What a step did: its entries and the records it created or changed (persist them). */
export interface StepResult {
  entries: Entry[];
  receipts: ReceiptRecord[];
  issues: IssueRecord[];
}

export interface IssueResult extends StepResult {
  /** COGS of this issue. */
  cogs: Decimal;
  /** Units issued below zero, costed provisionally at the last known cost. */
  provisionalQty: Decimal;
  /** With provisionalQty > 0: which fallback priced them. */
  costSource?: CostSource;
  /** E.g. units issued below zero at a cost of zero, for want of any cost. */
  warnings?: CostingWarning[];
}

export type LayerKind = 'receipt' | 'return' | 'count';

export interface LayerView {
  /** The receipt, customer return or stock count that opened the layer. */
  id: string;
  kind: LayerKind;
  date: DateString;
  /** Quantity still on hand from this layer. */
  qty: Decimal;
  /** FIFO, LIFO and specific only: value still on hand in this layer (average and standard pool the value). */
  value?: Decimal;
  /** Specific identification: the serial or batch the layer holds. */
  lot?: string;
  /** Specific identification: the serials a line of several holds, one unit each (no `lot`). */
  serials?: string[];
}

export interface PendingIssueView {
  issueId: string;
  date: DateString;
  /** Units still below zero. */
  qty: Decimal;
  /** Their provisional cost. */
  value: Decimal;
}

export interface Totals {
  qty: Decimal;
  value: Decimal;
  received: Decimal;
  landed: Decimal;
  revaluation: Decimal;
  cogs: Decimal;
  variance: Decimal;
  variances: Record<VarianceKind, Decimal>;
}

export interface ValuationSnapshot {
  format: 'erp.costing.valuation';
  version: 1;
  method: CostingMethod;
  currencyDecimals: number;
  allowNegativeStock: boolean;
  keepHistory: boolean;
  standardPrice: Decimal | null;
  qty: Decimal;
  value: Decimal;
  /** The last known unit cost as a fraction value ÷ qty, so it is kept exactly. */
  lastCost: { value: Decimal; qty: Decimal } | null;
  /** Open layers in arrival order (FIFO consumes from the front, LIFO from the back). */
  layers: {
    id: string;
    kind: LayerKind;
    date: DateString;
    qty: Decimal;
    value: Decimal;
    lot?: string;
    serials?: string[];
  }[];
  /** Issues below zero waiting for stock, oldest first. */
  pending: { issueId: string; qty: Decimal; value: Decimal }[];
  receipts: ReceiptRecord[];
  issues: IssueRecord[];
  totals: {
    received: Decimal;
    landed: Decimal;
    revaluation: Decimal;
    cogs: Decimal;
    variances: Record<VarianceKind, Decimal>;
  };
}
