// Receipt and issue records between their working form (decimals) and their JSON form (strings).
// Parsing checks every field, because records come back from the caller's storage.
import { type Dec, str, ZERO } from './decimal.js';
import { CostingErrorCode as C, CostingError, type CostingErrorCode, fail } from './errors.js';
import type { IssueRec, ReceiptRec } from './state.js';
import type { IssueRecord, ReceiptRecord } from './types.js';
import { requireDate, requireDecimal, requireId, requireObject } from './validate.js';

export function receiptToJSON(r: ReceiptRec): ReceiptRecord {
  const record: ReceiptRecord = {
    receiptId: r.receiptId,
    date: r.date,
    qty: str(r.qty),
    unitCost: str(r.unitCost),
    value: str(r.value),
    landed: str(r.landed),
    returnedQty: str(r.returnedQty),
    returnedValue: str(r.returnedValue),
  };
  // Only once billed, so records of unbilled receipts keep their original shape.
  if (!r.billedQty.eq(ZERO)) record.billedQty = str(r.billedQty);
  return record;
}

export function issueToJSON(i: IssueRec): IssueRecord {
  const record: IssueRecord = {
    issueId: i.issueId,
    date: i.date,
    qty: str(i.qty),
    cogs: str(i.cogs),
    corrections: i.corrections.map((c) => ({ id: c.id, date: c.date, amount: str(c.amount) })),
    pendingQty: str(i.pendingQty),
    returnedQty: str(i.returnedQty),
    returnedValue: str(i.returnedValue),
  };
  if (i.serialCosts) record.serialCosts = Object.fromEntries([...i.serialCosts].map(([s, c]) => [s, str(c)]));
  return record;
}

/**
 * Runs a parser, turning any refusal into `code` (so a bad snapshot is INVALID_SNAPSHOT while a bad
 * caller-supplied record keeps the precise code of the field).
 */
export function withCode<T>(code: CostingErrorCode | null, parse: () => T): T {
  if (code === null) return parse();
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof CostingError)) throw error;
    const message = error.field ? error.message.slice(error.field.length + 2) : error.message;
    return fail(code, error.field, message, { cause: error.code });
  }
}

export function parseReceipt(value: unknown, field: string): ReceiptRec {
  const o = requireObject(value, field);
  if (!('receiptId' in o) && 'issueId' in o)
    fail(C.NOT_A_RECEIPT, field, 'is an issue record, not a receipt');
  const r: ReceiptRec = {
    receiptId: requireId(o.receiptId, `${field}/receiptId`),
    date: requireDate(o.date, `${field}/date`),
    qty: requireDecimal(o.qty, `${field}/qty`),
    unitCost: requireDecimal(o.unitCost, `${field}/unitCost`),
    value: requireDecimal(o.value, `${field}/value`),
    landed: requireDecimal(o.landed, `${field}/landed`),
    returnedQty: requireDecimal(o.returnedQty, `${field}/returnedQty`),
    returnedValue: requireDecimal(o.returnedValue, `${field}/returnedValue`),
    billedQty: o.billedQty === undefined ? ZERO : requireDecimal(o.billedQty, `${field}/billedQty`),
  };
  if (r.billedQty.lt(ZERO) || r.billedQty.gt(r.qty)) {
    fail(C.INVALID_QUANTITY, `${field}/billedQty`, 'must be between zero and qty');
  }
  if (r.qty.lte(ZERO)) fail(C.INVALID_QUANTITY, `${field}/qty`, 'must be greater than zero');
  if (r.returnedQty.lt(ZERO) || r.returnedQty.gt(r.qty)) {
    fail(C.INVALID_QUANTITY, `${field}/returnedQty`, 'must be between zero and qty');
  }
  return r;
}

export function parseIssue(value: unknown, field: string): IssueRec {
  const o = requireObject(value, field);
  if (!('issueId' in o) && 'receiptId' in o) fail(C.NOT_AN_ISSUE, field, 'is a receipt record, not an issue');
  if (!Array.isArray(o.corrections)) fail(C.INVALID_INPUT, `${field}/corrections`, 'must be an array');
  const i: IssueRec = {
    issueId: requireId(o.issueId, `${field}/issueId`),
    date: requireDate(o.date, `${field}/date`),
    qty: requireDecimal(o.qty, `${field}/qty`),
    cogs: requireDecimal(o.cogs, `${field}/cogs`),
    corrections: (o.corrections as unknown[]).map((c, n) => {
      const co = requireObject(c, `${field}/corrections/${n}`);
      return {
        id: requireId(co.id, `${field}/corrections/${n}/id`),
        date: requireDate(co.date, `${field}/corrections/${n}/date`),
        amount: requireDecimal(co.amount, `${field}/corrections/${n}/amount`),
      };
    }),
    pendingQty: requireDecimal(o.pendingQty, `${field}/pendingQty`),
    returnedQty: requireDecimal(o.returnedQty, `${field}/returnedQty`),
    returnedValue: requireDecimal(o.returnedValue, `${field}/returnedValue`),
  };
  if (o.serialCosts !== undefined && o.serialCosts !== null)
    i.serialCosts = parseSerialCosts(o.serialCosts, `${field}/serialCosts`);
  if (i.qty.lte(ZERO)) fail(C.INVALID_QUANTITY, `${field}/qty`, 'must be greater than zero');
  if (i.returnedQty.lt(ZERO) || i.returnedQty.gt(i.qty)) {
    fail(C.INVALID_QUANTITY, `${field}/returnedQty`, 'must be between zero and qty');
  }
  if (i.pendingQty.lt(ZERO) || i.pendingQty.gt(i.qty)) {
    fail(C.INVALID_QUANTITY, `${field}/pendingQty`, 'must be between zero and qty');
  }
  return i;
}

/** Each serial's cost (one unit each): non-negative decimals keyed by serial. */
export function parseSerialCosts(value: unknown, field: string): Map<string, Dec> {
  const o = requireObject(value, field);
  const costs = new Map<string, Dec>();
  for (const [serial, cost] of Object.entries(o)) {
    const c = requireDecimal(cost, `${field}/${serial}`);
    if (c.lt(ZERO)) fail(C.INVALID_INPUT, `${field}/${serial}`, 'must not be negative');
    costs.set(serial, c);
  }
  return costs;
}
