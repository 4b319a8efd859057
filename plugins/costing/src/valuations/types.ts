// The rows the costing pipeline works with: a valuation (one item in one warehouse) and its steps.
import type { CostingMethod, Entry, ValuationSnapshot } from '../engine/index.js';

export type StepKind =
  | 'receipt'
  | 'issue'
  | 'customer-return'
  | 'vendor-return'
  | 'transfer-in'
  | 'transfer-out'
  | 'adjustment-in'
  | 'adjustment-out'
  | 'landed-cost'
  | 'revaluation'
  | 'method-change';

/** Kinds whose engine record is a receipt record (they open a layer) or an issue record. */
export const RECEIPT_KINDS: readonly StepKind[] = ['receipt', 'transfer-in', 'adjustment-in'];
export const ISSUE_KINDS: readonly StepKind[] = ['issue', 'transfer-out', 'adjustment-out'];

export interface ValuationKey {
  itemId: string;
  warehouseId: string;
}

/** The settings a valuation started with: enough to re-cost it from its first step. */
export interface Initial {
  method: CostingMethod;
  standardPrice: string | null;
  currencyDecimals: number;
}

export interface ValuationRow extends ValuationKey {
  sku: string | null;
  initial: Initial;
  state: ValuationSnapshot;
  lastAt: string | null;
  lastSeq: string | null;
  lastOrd: string | null;
  qty: string;
  value: string;
  waiting: number;
}

/** Ledger position: effective time, ledger sequence, then costing document number (0 for moves). */
export interface Position {
  at: string;
  seq: string;
  ord: string;
}

export interface StepRow extends ValuationKey, Position {
  id: string;
  kind: StepKind;
  documentId: string | null;
  ref: string | null;
  qty: string | null;
  unitCost: string | null;
  amount: string | null;
  input: Record<string, unknown>;
  status: 'applied' | 'waiting';
  errorCode: string | null;
}

/** A new step as a move or a route hands it over. */
export type NewStep = Omit<StepRow, 'status' | 'errorCode' | 'input'> & {
  input?: Record<string, unknown>;
  reference?: string | null;
  partner?: string | null;
};

/** An entry as stored: the engine's columns plus transfer and adjustment. */
export interface StoredEntry extends Entry {
  transfer: string;
  adjustment: string;
}

export const sameValuation = (a: ValuationKey, b: ValuationKey) =>
  a.itemId === b.itemId && a.warehouseId === b.warehouseId;

export const valuationId = (k: ValuationKey) => `${k.itemId}/${k.warehouseId}`;
