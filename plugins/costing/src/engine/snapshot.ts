// The valuation as plain JSON (decimal strings), for the plugin to persist and restore. Restoring
// checks shape and consistency, so a corrupted row is refused rather than costed wrongly.
import { type Dec, dec, money, str, ZERO } from './decimal.js';
import { CostingErrorCode as C, fail } from './errors.js';
import { LayerQueue } from './layers.js';
import { issueToJSON, parseIssue, parseReceipt, receiptToJSON, withCode } from './records.js';
import { type IssueRec, isLayered, type ReceiptRec, type State } from './state.js';
import { layerOwner } from './stock.js';
import { type LayerKind, VARIANCE_KINDS, type ValuationSnapshot, type VarianceKind } from './types.js';
import { requireDate, requireDecimal, requireId, requireMethod, requireObject } from './validate.js';

export function toSnapshot(state: State): ValuationSnapshot {
  const t = state.totals;
  return {
    format: 'erp.costing.valuation',
    version: 1,
    method: state.method,
    currencyDecimals: state.money.decimals,
    allowNegativeStock: state.allowNegativeStock,
    keepHistory: state.keepHistory,
    standardPrice: state.standardPrice ? str(state.standardPrice) : null,
    qty: str(state.qty),
    value: str(state.value),
    lastCost: state.lastCost ? { value: str(state.lastCost.value), qty: str(state.lastCost.qty) } : null,
    layers: state.layers.toArray().map((l) => ({
      id: l.id,
      kind: l.kind,
      date: l.date,
      qty: str(l.qty),
      value: str(l.value),
      ...(l.lot !== undefined ? { lot: l.lot } : {}),
      ...(l.serials !== undefined ? { serials: [...l.serials] } : {}),
    })),
    pending: state.pending.map((p) => ({ issueId: p.issue.issueId, qty: str(p.qty), value: str(p.value) })),
    receipts: [...state.receipts.values()].map(receiptToJSON),
    issues: [...state.issues.values()].map(issueToJSON),
    totals: {
      received: str(t.received),
      landed: str(t.landed),
      revaluation: str(t.revaluation),
      cogs: str(t.cogs),
      variances: Object.fromEntries(VARIANCE_KINDS.map((k) => [k, str(t.variances[k])])) as Record<
        VarianceKind,
        string
      >,
    },
  };
}

const sum = (values: Dec[]): Dec => values.reduce((a, b) => a.plus(b), ZERO);

export function fromSnapshot(snapshot: unknown): State {
  return withCode(C.INVALID_SNAPSHOT, () => parse(snapshot));
}

function parse(snapshot: unknown): State {
  const s = requireObject(snapshot, '');
  if (s.format !== 'erp.costing.valuation' || s.version !== 1) {
    fail(C.INVALID_SNAPSHOT, 'format', 'is not an erp.costing.valuation snapshot of version 1');
  }
  const method = requireMethod(s.method, 'method');
  const decimals = s.currencyDecimals;
  if (!Number.isInteger(decimals) || (decimals as number) < 0 || (decimals as number) > 12) {
    fail(C.INVALID_SNAPSHOT, 'currencyDecimals', 'must be an integer from 0 to 12');
  }
  for (const flag of ['allowNegativeStock', 'keepHistory'] as const) {
    if (typeof s[flag] !== 'boolean') fail(C.INVALID_SNAPSHOT, flag, 'must be a boolean');
  }
  const standardPrice = s.standardPrice === null ? null : requireDecimal(s.standardPrice, 'standardPrice');
  // Outside standard cost the price is the item's cost price (a fallback), so it may be set or not.
  if (method === 'standard' && standardPrice === null) {
    fail(C.INVALID_SNAPSHOT, 'standardPrice', 'is required under standard cost');
  }
  const lastCost =
    s.lastCost === null
      ? null
      : (() => {
          const lc = requireObject(s.lastCost, 'lastCost');
          return {
            value: requireDecimal(lc.value, 'lastCost/value'),
            qty: requireDecimal(lc.qty, 'lastCost/qty'),
          };
        })();
  if (lastCost?.qty.lte(ZERO)) fail(C.INVALID_SNAPSHOT, 'lastCost/qty', 'must be greater than zero');

  const receipts = new Map<string, ReceiptRec>();
  arrayOf(s.receipts, 'receipts').forEach((r, i) => {
    const rec = parseReceipt(r, `receipts/${i}`);
    receipts.set(rec.receiptId, rec);
  });
  const issues = new Map<string, IssueRec>();
  arrayOf(s.issues, 'issues').forEach((r, i) => {
    const rec = parseIssue(r, `issues/${i}`);
    issues.set(rec.issueId, rec);
  });

  const layers = new LayerQueue();
  arrayOf(s.layers, 'layers').forEach((value, i) => {
    const l = requireObject(value, `layers/${i}`);
    const id = requireId(l.id, `layers/${i}/id`);
    if (l.kind !== 'receipt' && l.kind !== 'return' && l.kind !== 'count')
      fail(C.INVALID_SNAPSHOT, `layers/${i}/kind`, 'is not a kind');
    if (layers.get(id)) fail(C.INVALID_SNAPSHOT, `layers/${i}/id`, 'appears twice');
    if (l.kind === 'receipt' && !receipts.has(layerOwner(id))) {
      fail(C.INVALID_SNAPSHOT, `layers/${i}/id`, 'is an open receipt layer without its receipt record');
    }
    const qty = requireDecimal(l.qty, `layers/${i}/qty`);
    if (qty.lte(ZERO)) fail(C.INVALID_SNAPSHOT, `layers/${i}/qty`, 'must be greater than zero');
    layers.push({
      id,
      kind: l.kind as LayerKind,
      date: requireDate(l.date, `layers/${i}/date`),
      qty,
      value: requireDecimal(l.value, `layers/${i}/value`),
      ...(l.lot !== undefined ? { lot: requireId(l.lot, `layers/${i}/lot`) } : {}),
      ...(l.serials !== undefined ? { serials: layerSerials(l.serials, l.lot, qty, `layers/${i}`) } : {}),
    });
  });
  const pending = arrayOf(s.pending, 'pending').map((value, i) => {
    const p = requireObject(value, `pending/${i}`);
    const issue = issues.get(requireId(p.issueId, `pending/${i}/issueId`));
    if (!issue) return fail(C.INVALID_SNAPSHOT, `pending/${i}/issueId`, 'has no issue record');
    const qty = requireDecimal(p.qty, `pending/${i}/qty`);
    if (qty.lte(ZERO)) fail(C.INVALID_SNAPSHOT, `pending/${i}/qty`, 'must be greater than zero');
    return { issue, qty, value: requireDecimal(p.value, `pending/${i}/value`) };
  });

  const t = requireObject(s.totals, 'totals');
  const v = requireObject(t.variances, 'totals/variances');
  const state: State = {
    method,
    money: money(decimals as number),
    allowNegativeStock: s.allowNegativeStock as boolean,
    keepHistory: s.keepHistory as boolean,
    standardPrice,
    qty: requireDecimal(s.qty, 'qty'),
    value: requireDecimal(s.value, 'value'),
    lastCost,
    layers,
    pending,
    receipts,
    issues,
    totals: {
      received: requireDecimal(t.received, 'totals/received'),
      landed: requireDecimal(t.landed, 'totals/landed'),
      revaluation: requireDecimal(t.revaluation, 'totals/revaluation'),
      cogs: requireDecimal(t.cogs, 'totals/cogs'),
      variances: Object.fromEntries(
        VARIANCE_KINDS.map((k) => [k, requireDecimal(v[k], `totals/variances/${k}`)]),
      ) as Record<VarianceKind, Dec>,
    },
  };
  checkConsistency(state);
  return state;
}

function arrayOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(C.INVALID_SNAPSHOT, field, 'must be an array');
  return value as unknown[];
}

function checkConsistency(state: State): void {
  const layers = state.layers.toArray();
  const layerQty = sum(layers.map((l) => l.qty));
  const pendingQty = sum(state.pending.map((p) => p.qty));
  const pendingValue = sum(state.pending.map((p) => p.value));
  if (state.pending.length > 0 && layers.length > 0) {
    fail(C.INVALID_SNAPSHOT, 'pending', 'issues wait below zero while layers are open');
  }
  if (state.method === 'standard') {
    if (state.pending.length > 0) fail(C.INVALID_SNAPSHOT, 'pending', 'standard cost has no pending issues');
    if (!layerQty.eq(state.qty.gt(ZERO) ? state.qty : ZERO)) {
      fail(C.INVALID_SNAPSHOT, 'layers', 'quantities do not add up to the quantity on hand');
    }
    if (!state.value.eq(state.money.round(state.qty.times(state.standardPrice!)))) {
      fail(C.INVALID_SNAPSHOT, 'value', 'is not the quantity on hand at the standard price');
    }
    return;
  }
  if (!layerQty.minus(pendingQty).eq(state.qty)) {
    fail(C.INVALID_SNAPSHOT, 'layers', 'quantities do not add up to the quantity on hand');
  }
  const expected = isLayered(state.method) ? sum(layers.map((l) => l.value)).minus(pendingValue) : null;
  if (expected && !expected.eq(state.value)) {
    fail(C.INVALID_SNAPSHOT, 'layers', 'values do not add up to the value on hand');
  }
  if (!isLayered(state.method) && state.pending.length > 0 && !pendingValue.neg().eq(state.value)) {
    fail(C.INVALID_SNAPSHOT, 'value', 'does not match the provisional cost of the pending issues');
  }
}

/** A layer's serials: distinct ids, one unit each, so as many as its quantity; never with a lot. */
function layerSerials(value: unknown, lot: unknown, qty: Dec, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    fail(C.INVALID_SNAPSHOT, `${field}/serials`, 'must be a non-empty array');
  const serials = (value as unknown[]).map((s, i) => requireId(s, `${field}/serials/${i}`));
  if (lot !== undefined)
    fail(C.INVALID_SNAPSHOT, `${field}/serials`, 'a layer has a lot or serials, not both');
  if (new Set(serials).size !== serials.length)
    fail(C.INVALID_SNAPSHOT, `${field}/serials`, 'names a serial twice');
  if (!qty.eq(dec(String(serials.length))))
    fail(C.INVALID_SNAPSHOT, `${field}/serials`, 'must be as many as the quantity');
  return serials;
}
