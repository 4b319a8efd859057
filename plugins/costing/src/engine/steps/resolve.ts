// Finding the receipt or issue a step refers to: held by the engine, or supplied by the caller as
// `original` when the engine no longer holds it (history dropped after the caller persisted it).
import { CostingErrorCode as C, fail } from '../errors.js';
import { parseIssue, parseReceipt } from '../records.js';
import type { IssueRec, ReceiptRec, State } from '../state.js';

/** `prefix` locates the step's fields ('' for the body, 'lines/2/' for a landed cost line). */
export function resolveReceipt(
  state: State,
  receiptId: string,
  original: unknown,
  prefix: string,
): ReceiptRec {
  const held = state.receipts.get(receiptId);
  if (held) return held;
  if (
    state.issues.has(receiptId) ||
    (state.layers.get(receiptId) && state.layers.get(receiptId)?.kind !== 'receipt')
  ) {
    fail(
      C.NOT_A_RECEIPT,
      `${prefix}receiptId`,
      'names an issue, a customer return or a count, not a receipt',
    );
  }
  if (original === undefined) {
    fail(
      C.UNKNOWN_RECEIPT,
      `${prefix}receiptId`,
      'is not a receipt this valuation holds (pass its record as `original` if history was dropped)',
    );
  }
  const record = parseReceipt(original, `${prefix}original`);
  if (record.receiptId !== receiptId) {
    fail(C.RECORD_MISMATCH, `${prefix}original/receiptId`, `is ${record.receiptId}, not ${receiptId}`);
  }
  return record;
}

export function resolveIssue(state: State, issueId: string, original: unknown, prefix: string): IssueRec {
  const held = state.issues.get(issueId);
  if (held) return held;
  if (state.receipts.has(issueId) || state.layers.get(issueId)) {
    fail(C.NOT_AN_ISSUE, `${prefix}issueId`, 'names a receipt or a customer return, not an issue');
  }
  if (original === undefined) {
    fail(
      C.UNKNOWN_ISSUE,
      `${prefix}issueId`,
      'is not an issue this valuation holds (pass its record as `original` if history was dropped)',
    );
  }
  const record = parseIssue(original, `${prefix}original`);
  if (record.issueId !== issueId) {
    fail(C.RECORD_MISMATCH, `${prefix}original/issueId`, `is ${record.issueId}, not ${issueId}`);
  }
  return record;
}
