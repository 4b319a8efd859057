// Property-based tests (fast-check): for any generated sequence of receipts, issues (with the
// fallback costs), returns both ways, landed costs, revaluations (also with nothing on hand), stock
// counts with a rate, vendor bills (with a currency rate), repacks (this valuation as component or
// product), method changes and bad input, under every method,
//  - received + landed costs ± revaluations = COGS + variances + value on hand, to the cent;
//  - every entry balances, and the entries add up to the totals;
//  - amounts never carry more decimals than the currency's minor unit;
//  - the layers (less pending issues) add up to the quantity and value on hand, and nothing on
//    hand means a value of exactly zero;
//  - a refused step changes nothing;
//  - dropping history and handing back the caller's records gives exactly the same results;
//  - a snapshot restores to the same valuation.
import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CostingError,
  type CostingMethod,
  createValuation,
  type Entry,
  type IssueRecord,
  type LandedCostSplit,
  type ReceiptRecord,
  repack,
  restoreValuation,
  type StepResult,
  type Valuation,
} from '../../src/index.js';

/** A decimal string from an integer count of 10^-places units, built without floats. */
const fixed = (units: number, places: number): string => {
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
};

const qtyArb = fc.oneof(
  fc.integer({ min: 1, max: 40 }).map(String),
  fc.integer({ min: 1, max: 4000 }).map((n) => fixed(n, 2)),
);
const costArb = fc.oneof(
  fc.constant('0'),
  fc.integer({ min: 0, max: 20000 }).map((n) => fixed(n, 2)),
  fc.integer({ min: 1, max: 9_999_999 }).map((n) => fixed(n, 5)),
);
const methodArb = fc.constantFrom<CostingMethod>('fifo', 'lifo', 'average', 'standard', 'specific');
/** Serials or batches: ignored but for specific identification. */
const lotArb = fc.constantFrom('A', 'B', 'C');
const splitArb = fc.constantFrom<LandedCostSplit>('equal', 'quantity', 'value', 'weight', 'volume');

type Op =
  | { op: 'receive'; qty: string; unitCost: string; lot: string }
  | { op: 'issue'; qty: string; lastPurchasePrice?: string; lot: string }
  | { op: 'receiveSerials'; count: number; unitCost: string }
  | { op: 'issueSerials'; picks: number[] }
  | { op: 'transferSerials'; cents: number[] }
  | { op: 'returnSerials'; pick: number }
  | { op: 'count'; qty: string; unitCost: string }
  | { op: 'bill'; pick: number; qty?: string; unitPrice: string; rate?: string }
  | { op: 'repack'; asProduct: boolean; qty: string; otherQty: string; cents: number }
  | { op: 'customerReturn'; pick: number; qty: string; lot: string }
  | { op: 'vendorReturn'; pick: number; qty: string; atReceipt: boolean }
  | { op: 'landedCost'; picks: number[]; cents: number; split: LandedCostSplit; measures: string[] }
  | { op: 'revalue'; unitCost?: string; cents?: number }
  | { op: 'changeMethod'; method: CostingMethod; unitCost: string; withRevaluation: boolean }
  | { op: 'bad'; which: number; pick: number };

const opArb = (withMethodChanges: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('receive' as const),
        qty: qtyArb,
        unitCost: costArb,
        lot: lotArb,
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record(
        { op: fc.constant('issue' as const), qty: qtyArb, lastPurchasePrice: costArb, lot: lotArb },
        { requiredKeys: ['op', 'qty', 'lot'] },
      ),
    },
    {
      // specific identification: a line of several serials in, some of the serials on hand out
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('receiveSerials' as const),
        count: fc.integer({ min: 1, max: 4 }),
        unitCost: costArb,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('issueSerials' as const),
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      // a transfer in of several serials, each at its own cost (cents, as a transfer out gives)
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('transferSerials' as const),
        cents: fc.array(fc.constantFrom(0, 999, 1000, 1400, 12345), { minLength: 2, maxLength: 4 }),
      }),
    },
    {
      // a customer return naming some of the serials an issue recorded
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('returnSerials' as const), pick: fc.nat() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('count' as const),
        qty: fc.oneof(fc.constant('0'), qtyArb),
        unitCost: costArb,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          op: fc.constant('bill' as const),
          pick: fc.nat(),
          qty: qtyArb,
          unitPrice: costArb,
          rate: fc.integer({ min: 1, max: 300000 }).map((n) => fixed(n, 5)),
        },
        { requiredKeys: ['op', 'pick', 'unitPrice'] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('repack' as const),
        asProduct: fc.boolean(),
        qty: qtyArb,
        otherQty: qtyArb,
        cents: fc.integer({ min: 0, max: 5000 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('customerReturn' as const),
        pick: fc.nat(),
        qty: qtyArb,
        lot: lotArb,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('vendorReturn' as const),
        pick: fc.nat(),
        qty: qtyArb,
        atReceipt: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('landedCost' as const),
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        cents: fc.integer({ min: 1, max: 50000 }),
        split: splitArb,
        measures: fc.array(
          fc.integer({ min: 0, max: 500 }).map((n) => fixed(n, 1)),
          { minLength: 4, maxLength: 4 },
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.record({ op: fc.constant('revalue' as const), unitCost: costArb }),
        fc.record({ op: fc.constant('revalue' as const), cents: fc.integer({ min: -5000, max: 5000 }) }),
      ),
    },
    {
      weight: withMethodChanges ? 1 : 0,
      arbitrary: fc.record({
        op: fc.constant('changeMethod' as const),
        method: methodArb,
        unitCost: costArb,
        withRevaluation: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('bad' as const), which: fc.nat({ max: 7 }), pick: fc.nat() }),
    },
  );

interface Known {
  receipts: string[];
  issues: string[];
  returns: string[];
  /** What the caller persisted: the latest version of every record a step returned. */
  store: Map<string, ReceiptRecord | IssueRecord>;
  n: number;
}

/** One of `ids`, or an id no step ever uses when there is none yet. */
const pickFrom = (ids: string[], n: number): string => (ids.length ? ids[n % ids.length]! : 'never-used');

/** Applies one generated op; `originals` says whether to hand back the caller's records. */
function apply(v: Valuation, op: Op, known: Known, originals: boolean): StepResult {
  const date = `2025-02-${String((known.n % 28) + 1).padStart(2, '0')}`;
  const id = `m${known.n}`;
  const receipt = (rid: string) =>
    originals ? (known.store.get(rid) as ReceiptRecord | undefined) : undefined;
  const issue = (iid: string) => (originals ? (known.store.get(iid) as IssueRecord | undefined) : undefined);
  switch (op.op) {
    case 'receive':
      return v.receive({ receiptId: id, date, qty: op.qty, unitCost: op.unitCost, lot: op.lot });
    case 'issue':
      return v.issue({
        issueId: id,
        date,
        qty: op.qty,
        lastPurchasePrice: op.lastPurchasePrice,
        lot: op.lot,
      });
    case 'receiveSerials': {
      const serials = Array.from({ length: op.count }, (_, k) => `${id}-s${k}`);
      return v.receive({ receiptId: id, date, qty: String(op.count), unitCost: op.unitCost, serials });
    }
    case 'issueSerials': {
      // distinct serials on hand, from any line (or, with none, serials that are not there)
      const onHand = v.layers().flatMap((l) => l.serials ?? []);
      const serials = onHand.length
        ? [...new Set(op.picks.map((p) => onHand[p % onHand.length]!))]
        : op.picks.map((_, k) => `gone-${k}`);
      return v.issue({ issueId: id, date, qty: String(serials.length), serials });
    }
    case 'transferSerials': {
      const decimals = v.settings.currencyDecimals;
      const serials = op.cents.map((_, k) => `${id}-t${k}`);
      const serialCosts = Object.fromEntries(serials.map((s, k) => [s, fixed(op.cents[k]!, decimals)]));
      const qty = String(serials.length);
      return v.receive({ receiptId: id, date, qty, unitCost: '1', serials, serialCosts });
    }
    case 'returnSerials': {
      const issueId = pickFrom(known.issues, op.pick);
      const recorded = Object.keys((known.store.get(issueId) as IssueRecord | undefined)?.serialCosts ?? {});
      const serials = recorded.length
        ? recorded.slice(0, (op.pick % recorded.length) + 1)
        : [`${id}-r0`, `${id}-r1`];
      const qty = String(serials.length);
      return v.customerReturn({ returnId: id, issueId, date, qty, serials, original: issue(issueId) });
    }
    case 'count':
      return v.count({ countId: id, date, qty: op.qty, unitCost: op.unitCost });
    case 'bill': {
      const receiptId = pickFrom(known.receipts, op.pick);
      return v.bill({
        billId: id,
        receiptId,
        date,
        qty: op.qty,
        unitPrice: op.unitPrice,
        rate: op.rate,
        original: receipt(receiptId),
      });
    }
    case 'repack': {
      // The other side is a fresh valuation: a component with just enough stock, or the product.
      const other = createValuation({ method: 'fifo', currencyDecimals: v.settings.currencyDecimals });
      const additionalCost = fixed(op.cents, v.settings.currencyDecimals);
      if (op.asProduct) {
        other.receive({ receiptId: 'stock', date, qty: op.otherQty, unitCost: '1.5' });
        return repack({
          repackId: id,
          date,
          components: [{ valuation: other, qty: op.otherQty }],
          product: { valuation: v, qty: op.qty, lot: 'A' },
          additionalCost,
        }).product;
      }
      return repack({
        repackId: id,
        date,
        components: [{ valuation: v, qty: op.qty, lot: 'A' }],
        product: { valuation: other, qty: op.otherQty },
        additionalCost,
      }).components[0]!;
    }
    case 'customerReturn': {
      const issueId = pickFrom(known.issues, op.pick);
      return v.customerReturn({
        returnId: id,
        issueId,
        date,
        qty: op.qty,
        original: issue(issueId),
        lot: op.lot,
      });
    }
    case 'vendorReturn': {
      const receiptId = pickFrom(known.receipts, op.pick);
      // a line of serials goes back by naming some of its serials on hand
      const line = v.layers().find((l) => l.id === receiptId)?.serials;
      const serials = line?.slice(0, (op.pick % line.length) + 1);
      return v.vendorReturn({
        returnId: id,
        receiptId,
        date,
        qty: serials ? String(serials.length) : op.qty,
        ...(serials ? { serials } : {}),
        original: receipt(receiptId),
        valueAt: op.atReceipt ? 'receipt' : 'average',
      });
    }
    case 'landedCost': {
      const ids = [...new Set(op.picks.map((p) => pickFrom(known.receipts, p)))];
      const decimals = v.settings.currencyDecimals;
      return v.landedCost({
        landedCostId: id,
        date,
        amount: fixed(op.cents, decimals), // in minor units of the currency
        split: op.split,
        lines: ids.map((receiptId, i) => ({
          receiptId,
          weight: op.measures[i],
          volume: op.measures[3 - i],
          original: receipt(receiptId),
        })),
      });
    }
    case 'revalue': {
      const decimals = v.settings.currencyDecimals;
      return op.unitCost !== undefined
        ? v.revalue({ revaluationId: id, date, unitCost: op.unitCost })
        : v.revalue({ revaluationId: id, date, amount: fixed(op.cents!, decimals) });
    }
    case 'changeMethod':
      return v.changeMethod({
        changeId: id,
        date,
        method: op.method,
        standardPrice: op.method === 'standard' ? op.unitCost : undefined,
        revaluation: op.withRevaluation ? { unitCost: op.unitCost } : undefined,
      });
    case 'bad': {
      const someIssue = pickFrom(known.issues, op.pick);
      const someReturn = pickFrom(known.returns, op.pick);
      const attempts: (() => StepResult)[] = [
        () => v.receive({ receiptId: id, date, qty: '0', unitCost: '1' }),
        () => v.issue({ issueId: id, date, qty: '-1' }),
        () =>
          v.issue({
            issueId: known.receipts.length ? pickFrom(known.receipts, op.pick) : '',
            date,
            qty: '1',
          }),
        () => v.customerReturn({ returnId: id, issueId: 'unknown', date, qty: '1' }),
        () =>
          v.vendorReturn({
            returnId: id,
            receiptId: someIssue,
            date,
            qty: '1',
            original: issue(someIssue) as never,
          }),
        () =>
          v.landedCost({
            landedCostId: id,
            date,
            amount: '5',
            split: 'equal',
            lines: [{ receiptId: someReturn }],
          }),
        () => v.landedCost({ landedCostId: id, date, amount: '0.001', split: 'equal', lines: [] }),
        () => v.issue({ issueId: id, date: '2025-02-31', qty: '1' }),
      ];
      return attempts[op.which]!();
    }
  }
}

const ZERO = new Big('0');
/** More runs for a deeper search: COSTING_PROPERTY_RUNS=5000 npx vitest run test/engine/properties.test.ts */
const RUNS = Number(process.env.COSTING_PROPERTY_RUNS ?? 60);
const decimalsOf = (s: string): number => (s.includes('.') ? s.split('.')[1]!.length : 0);
const MONEY: (keyof Entry)[] = ['stock', 'received', 'landed', 'revaluation', 'cogs', 'variance'];

function checkInvariants(v: Valuation, entries: Entry[]): void {
  const t = v.totals();
  const m = v.settings.currencyDecimals;
  // the invariant, to the cent
  expect(new Big(t.received).plus(t.landed).plus(t.revaluation).toString()).toBe(
    new Big(t.cogs).plus(t.variance).plus(t.value).toString(),
  );
  // the entries add up to the totals
  const column = (k: keyof Entry) => entries.reduce((s, e) => s.plus(e[k] as string), ZERO).toString();
  expect([
    column('qty'),
    column('stock'),
    column('received'),
    column('landed'),
    column('revaluation'),
    column('cogs'),
    column('variance'),
  ]).toEqual([t.qty, t.value, t.received, t.landed, t.revaluation, t.cogs, t.variance]);
  for (const value of [
    t.value,
    ...v.layers().map((l) => l.value ?? '0'),
    ...v.pendingIssues().map((p) => p.value),
  ]) {
    expect(decimalsOf(value)).toBeLessThanOrEqual(m);
  }
  // layers and pending issues add up to what is on hand
  const layers = v.layers();
  // a line of serials holds one unit per serial still on hand, each serial in one layer only
  for (const l of layers) if (l.serials) expect(l.serials.length.toString()).toBe(l.qty);
  const serials = layers.flatMap((l) => l.serials ?? []);
  expect(new Set(serials).size).toBe(serials.length);
  const pending = v.pendingIssues();
  const layerQty = layers.reduce((s, l) => s.plus(l.qty), ZERO);
  const pendingQty = pending.reduce((s, p) => s.plus(p.qty), ZERO);
  if (v.method === 'standard') {
    expect(pending).toEqual([]);
    expect(t.value).toBe(
      new Big(t.qty).times(v.settings.standardPrice!).round(m, Big.roundHalfUp).toString(),
    );
    expect(layerQty.toString()).toBe(new Big(t.qty).gt(ZERO) ? t.qty : '0');
  } else {
    expect(layerQty.minus(pendingQty).toString()).toBe(t.qty);
    if (v.method === 'fifo' || v.method === 'lifo' || v.method === 'specific') {
      const layerValue = layers.reduce((s, l) => s.plus(l.value!), ZERO);
      expect(layerValue.minus(pending.reduce((s, p) => s.plus(p.value), ZERO)).toString()).toBe(t.value);
    }
    if (t.qty === '0') expect(t.value).toBe('0');
  }
}

function run(method: CostingMethod, negative: boolean, decimals: number, ops: Op[]): void {
  const options = { method, allowNegativeStock: negative, currencyDecimals: decimals, standardPrice: '7.25' };
  const full = createValuation({
    ...options,
    method,
    standardPrice: method === 'standard' ? '7.25' : undefined,
  });
  const lean = createValuation({
    ...options,
    standardPrice: method === 'standard' ? '7.25' : undefined,
    keepHistory: false,
  });
  const known: Known = { receipts: [], issues: [], returns: [], store: new Map(), n: 0 };
  const entries: Entry[] = [];
  for (const op of ops) {
    known.n++;
    const before = JSON.stringify(full.toJSON());
    let result: StepResult | undefined;
    let refused: CostingError | undefined;
    try {
      result = apply(full, op, known, false);
    } catch (error) {
      if (!(error instanceof CostingError)) throw error;
      refused = error;
    }
    if (refused) expect(JSON.stringify(full.toJSON())).toBe(before);
    // A lean valuation cannot see the ids of closed moves, so it does not detect their reuse (the
    // plugin's unique keys do): such a step is not given to it.
    if (refused?.code === 'COSTING_DUPLICATE_ID') continue;
    // the same step with history dropped and the caller's records handed back
    let leanResult: StepResult | undefined;
    let leanRefused: CostingError | undefined;
    const leanBefore = JSON.stringify(lean.toJSON());
    try {
      leanResult = apply(lean, op, known, true);
    } catch (error) {
      if (!(error instanceof CostingError)) throw error;
      leanRefused = error;
    }
    if (refused) {
      expect(JSON.stringify(lean.toJSON())).toBe(leanBefore);
      expect(leanRefused?.code).toBe(refused.code);
      continue;
    }
    expect(leanRefused).toBeUndefined();
    expect(leanResult).toEqual(result);
    for (const e of result!.entries) {
      expect(new Big(e.received).plus(e.landed).plus(e.revaluation).toString()).toBe(
        new Big(e.cogs).plus(e.variance).plus(e.stock).toString(),
      );
      for (const k of MONEY) expect(decimalsOf(e[k] as string)).toBeLessThanOrEqual(decimals);
    }
    entries.push(...result!.entries);
    for (const r of result!.receipts) known.store.set(r.receiptId, r);
    for (const i of result!.issues) known.store.set(i.issueId, i);
    if (
      op.op === 'receive' ||
      op.op === 'receiveSerials' ||
      op.op === 'transferSerials' ||
      (op.op === 'repack' && op.asProduct)
    )
      known.receipts.push(`m${known.n}`);
    if (op.op === 'issue' || op.op === 'issueSerials' || (op.op === 'repack' && !op.asProduct))
      known.issues.push(`m${known.n}`);
    if (op.op === 'customerReturn' || op.op === 'returnSerials') known.returns.push(`m${known.n}`);
    checkInvariants(full, entries);
  }
  expect(restoreValuation(JSON.parse(JSON.stringify(full.toJSON()))).toJSON()).toEqual(full.toJSON());
  expect(lean.totals()).toEqual(full.totals());
  expect(lean.layers()).toEqual(full.layers());
}

describe('invariants for any sequence', () => {
  for (const method of ['fifo', 'lifo', 'average', 'standard', 'specific'] as const) {
    it(`${method}: balances to the cent, refusals change nothing, lean history agrees`, () => {
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.constantFrom(0, 2, 3),
          fc.array(opArb(false), { maxLength: 50, size: 'max' }),
          (negative, decimals, ops) => run(method, negative, decimals, ops),
        ),
        { numRuns: RUNS },
      );
    }, 120_000);
  }

  it('across method changes', () => {
    fc.assert(
      fc.property(
        methodArb,
        fc.boolean(),
        fc.array(opArb(true), { maxLength: 50, size: 'max' }),
        (method, negative, ops) => run(method, negative, 2, ops),
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
