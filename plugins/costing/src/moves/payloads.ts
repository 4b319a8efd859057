// The warehouses events costing consumes, as far as costing reads them (see README, "Events
// consumed"). Quantities and unit costs are decimal strings; effectiveAt is ISO 8601; seq is the
// ledger's posting order.
export interface MoveFields {
  moveId: string;
  seq: number;
  documentId: string;
  itemId: string;
  sku: string;
  warehouseId: string;
  locationId: string;
  reference?: string | null;
  effectiveAt: string;
}

export interface StockReceived extends MoveFields {
  kind: 'receipt' | 'customer-return';
  qty: string;
  unitCost: string | null;
  supplier: string | null;
  customer: string | null;
  returnOf: string | null;
}

export interface StockIssued extends MoveFields {
  kind: 'issue' | 'vendor-return';
  qty: string;
  supplier: string | null;
  customer: string | null;
  returnOf: string | null;
  /** Optional (events before issue 14 lack it): the project the issue document names. */
  projectId?: string | null;
}

export interface StockCancelled extends MoveFields {
  cancelsMoveId: string;
  cancelsKind: string;
  qty: string;
  direction: 'in' | 'out';
}

export interface StockAdjusted extends MoveFields {
  /** Signed: positive found, negative lost. */
  qty: string;
  unitCost: string | null;
  reason: string;
}

interface Leg {
  moveId: string;
  seq: number;
  warehouseId: string;
  locationId: string;
}

export interface StockTransferred {
  transferId: string;
  documentId: string;
  itemId: string;
  sku: string;
  qty: string;
  from: Leg;
  to: Leg;
  reference?: string | null;
  effectiveAt: string;
}

/** Refuses a payload without what costing needs, so the delivery fails loudly (and dead-letters). */
export function need<T extends object>(
  payload: unknown,
  fields: readonly (keyof T & string)[],
  type: string,
): T {
  const p = payload as Record<string, unknown> | null;
  const missing = fields.filter(
    (f) => p === null || typeof p !== 'object' || p[f] === undefined || p[f] === null,
  );
  if (missing.length) throw new Error(`${type}: payload lacks ${missing.join(', ')}`);
  return p as T;
}
