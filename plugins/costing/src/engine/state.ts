// The valuation's working state. Numbers are big.js decimals here and strings at the edges
// (records.ts converts). Steps validate everything first and only then mutate, so this state is
// never half-changed by a refused step.
import { type Dec, type Money, ZERO } from './decimal.js';
import type { LayerQueue } from './layers.js';
import type { CostingMethod, VarianceKind } from './types.js';

export interface ReceiptRec {
  receiptId: string;
  date: string;
  qty: Dec;
  unitCost: Dec;
  value: Dec;
  landed: Dec;
  returnedQty: Dec;
  returnedValue: Dec;
  billedQty: Dec;
}

export interface CorrectionRec {
  id: string;
  date: string;
  amount: Dec;
}

export interface IssueRec {
  issueId: string;
  date: string;
  qty: Dec;
  cogs: Dec;
  corrections: CorrectionRec[];
  pendingQty: Dec;
  returnedQty: Dec;
  returnedValue: Dec;
  /** Specific identification, an issue of several serials: each serial's cost when it left. */
  serialCosts?: Map<string, Dec>;
}

/** Units of an issue made below zero, waiting for stock to learn their actual cost. */
export interface Pending {
  issue: IssueRec;
  qty: Dec;
  /** Provisional cost still carried for these units. */
  value: Dec;
}

export interface State {
  method: CostingMethod;
  money: Money;
  allowNegativeStock: boolean;
  keepHistory: boolean;
  /**
   * The item's cost price: under `standard` the price every unit is carried at; under the other
   * methods the first fallback cost of an issue below zero with no cost history.
   */
  standardPrice: Dec | null;
  /** Quantity and value on hand (negative while issues wait below zero). */
  qty: Dec;
  value: Dec;
  /** The last known unit cost as value ÷ qty (exact), for issues below zero. */
  lastCost: { value: Dec; qty: Dec } | null;
  /**
   * FIFO/LIFO: the valued layers. Average/standard: the same queue with quantities only, consumed
   * first-in first-out, to know how many units of a receipt are still on hand (for landed costs).
   */
  layers: LayerQueue;
  /** Issues below zero, oldest first; only ever non-empty while no layer is open. */
  pending: Pending[];
  receipts: Map<string, ReceiptRec>;
  issues: Map<string, IssueRec>;
  totals: {
    received: Dec;
    landed: Dec;
    revaluation: Dec;
    cogs: Dec;
    variances: Record<VarianceKind, Dec>;
  };
}

/** Methods whose layers carry their own value: FIFO, LIFO and specific identification. */
export const isLayered = (method: CostingMethod): boolean =>
  method === 'fifo' || method === 'lifo' || method === 'specific';

export function zeroVariances(): Record<VarianceKind, Dec> {
  return { purchase_price: ZERO, landed_cost: ZERO, vendor_return: ZERO, customer_return: ZERO };
}

export function newReceipt(receiptId: string, date: string, qty: Dec, unitCost: Dec, value: Dec): ReceiptRec {
  return {
    receiptId,
    date,
    qty,
    unitCost,
    value,
    landed: ZERO,
    returnedQty: ZERO,
    returnedValue: ZERO,
    billedQty: ZERO,
  };
}

export function newIssue(issueId: string, date: string, qty: Dec, cogs: Dec, pendingQty: Dec): IssueRec {
  return {
    issueId,
    date,
    qty,
    cogs,
    corrections: [],
    pendingQty,
    returnedQty: ZERO,
    returnedValue: ZERO,
  };
}

/** Is the id held by this valuation as a receipt, an issue or an open layer? */
export function isKnownId(state: State, id: string): boolean {
  return state.receipts.has(id) || state.issues.has(id) || state.layers.get(id) !== undefined;
}
