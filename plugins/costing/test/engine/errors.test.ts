// Bad input: each refusal is a CostingError with a stable code naming the field, and the
// valuation is exactly as it was before the step (compared through its full JSON snapshot).
import { describe, expect, it } from 'vitest';
import {
  CostingError,
  createValuation,
  type IssueRecord,
  restoreValuation,
  type Valuation,
} from '../../src/index.js';
import { day, expectRefused } from './support.js';

/** FIFO with two receipts, an issue and a customer-return layer. */
function stocked(): Valuation {
  const v = createValuation({ method: 'fifo' });
  v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '2' });
  v.receive({ receiptId: 'r2', date: day(2), qty: '5', unitCost: '0' });
  v.issue({ issueId: 'i1', date: day(3), qty: '4' });
  v.customerReturn({ returnId: 'cr1', issueId: 'i1', date: day(4), qty: '1' });
  return v;
}

const bad = <T>(value: unknown): T => value as T;

/** A landed cost on day 5 with id x; each case gives the rest. */
const landed = (v: Valuation, rest: Omit<Parameters<Valuation['landedCost']>[0], 'landedCostId' | 'date'>) =>
  v.landedCost({ landedCostId: 'x', date: day(5), ...rest });

describe('refused steps', () => {
  const cases: [string, (v: Valuation) => unknown, string, string][] = [
    [
      'a number instead of a decimal string',
      (v) => v.receive({ receiptId: 'x', date: day(5), qty: bad(10), unitCost: '1' }),
      'COSTING_INVALID_DECIMAL',
      'qty',
    ],
    [
      'exponent notation',
      (v) => v.receive({ receiptId: 'x', date: day(5), qty: '1e3', unitCost: '1' }),
      'COSTING_INVALID_DECIMAL',
      'qty',
    ],
    [
      'a zero receipt quantity',
      (v) => v.receive({ receiptId: 'x', date: day(5), qty: '0', unitCost: '1' }),
      'COSTING_INVALID_QUANTITY',
      'qty',
    ],
    [
      'a negative issue quantity',
      (v) => v.issue({ issueId: 'x', date: day(5), qty: '-1' }),
      'COSTING_INVALID_QUANTITY',
      'qty',
    ],
    [
      'a zero return quantity',
      (v) => v.customerReturn({ returnId: 'x', issueId: 'i1', date: day(5), qty: '0' }),
      'COSTING_INVALID_QUANTITY',
      'qty',
    ],
    [
      'a negative unit cost',
      (v) => v.receive({ receiptId: 'x', date: day(5), qty: '1', unitCost: '-0.01' }),
      'COSTING_INVALID_UNIT_COST',
      'unitCost',
    ],
    [
      'an impossible date',
      (v) => v.issue({ issueId: 'x', date: '2025-02-30T25:00', qty: '1' }),
      'COSTING_INVALID_DATE',
      'date',
    ],
    [
      'a date in words',
      (v) => v.issue({ issueId: 'x', date: 'yesterday', qty: '1' }),
      'COSTING_INVALID_DATE',
      'date',
    ],
    [
      'an empty id',
      (v) => v.receive({ receiptId: '', date: day(5), qty: '1', unitCost: '1' }),
      'COSTING_INVALID_ID',
      'receiptId',
    ],
    [
      'a reused receipt id',
      (v) => v.receive({ receiptId: 'r1', date: day(5), qty: '1', unitCost: '1' }),
      'COSTING_DUPLICATE_ID',
      'receiptId',
    ],
    [
      'a reused issue id',
      (v) => v.issue({ issueId: 'i1', date: day(5), qty: '1' }),
      'COSTING_DUPLICATE_ID',
      'issueId',
    ],
    [
      'an issue beyond stock',
      (v) => v.issue({ issueId: 'x', date: day(5), qty: '12.0001' }),
      'COSTING_INSUFFICIENT_STOCK',
      'qty',
    ],
    [
      'a customer return of an unknown issue',
      (v) => v.customerReturn({ returnId: 'x', issueId: 'nope', date: day(5), qty: '1' }),
      'COSTING_UNKNOWN_ISSUE',
      'issueId',
    ],
    [
      'a customer return against a receipt',
      (v) => v.customerReturn({ returnId: 'x', issueId: 'r1', date: day(5), qty: '1' }),
      'COSTING_NOT_AN_ISSUE',
      'issueId',
    ],
    [
      'a customer return beyond the issue',
      (v) => v.customerReturn({ returnId: 'x', issueId: 'i1', date: day(5), qty: '4' }),
      'COSTING_RETURN_EXCEEDS_ORIGINAL',
      'qty',
    ],
    [
      'a vendor return of an unknown receipt',
      (v) => v.vendorReturn({ returnId: 'x', receiptId: 'nope', date: day(5), qty: '1' }),
      'COSTING_UNKNOWN_RECEIPT',
      'receiptId',
    ],
    [
      'a vendor return against an issue',
      (v) => v.vendorReturn({ returnId: 'x', receiptId: 'i1', date: day(5), qty: '1' }),
      'COSTING_NOT_A_RECEIPT',
      'receiptId',
    ],
    [
      'a vendor return beyond the receipt',
      (v) => v.vendorReturn({ returnId: 'x', receiptId: 'r2', date: day(5), qty: '6' }),
      'COSTING_RETURN_EXCEEDS_ORIGINAL',
      'qty',
    ],
    [
      'a landed cost against an issue',
      (v) => landed(v, { amount: '5', split: 'equal', lines: [{ receiptId: 'r1' }, { receiptId: 'i1' }] }),
      'COSTING_NOT_A_RECEIPT',
      'lines/1/receiptId',
    ],
    [
      'a landed cost against a customer return',
      (v) => landed(v, { amount: '5', split: 'equal', lines: [{ receiptId: 'cr1' }] }),
      'COSTING_NOT_A_RECEIPT',
      'lines/0/receiptId',
    ],
    [
      'a landed cost against an unknown receipt',
      (v) => landed(v, { amount: '5', split: 'equal', lines: [{ receiptId: 'r1' }, { receiptId: 'zz' }] }),
      'COSTING_UNKNOWN_RECEIPT',
      'lines/1/receiptId',
    ],
    [
      'a landed cost naming a receipt twice',
      (v) => landed(v, { amount: '5', split: 'equal', lines: [{ receiptId: 'r1' }, { receiptId: 'r1' }] }),
      'COSTING_DUPLICATE_ID',
      'lines/1/receiptId',
    ],
    [
      'a landed cost of zero',
      (v) => landed(v, { amount: '0', split: 'equal', lines: [{ receiptId: 'r1' }] }),
      'COSTING_INVALID_AMOUNT',
      'amount',
    ],
    [
      'a landed cost finer than a cent',
      (v) => landed(v, { amount: '1.005', split: 'equal', lines: [{ receiptId: 'r1' }] }),
      'COSTING_INVALID_AMOUNT',
      'amount',
    ],
    [
      'a landed cost with no lines',
      (v) => landed(v, { amount: '1', split: 'equal', lines: [] }),
      'COSTING_INVALID_INPUT',
      'lines',
    ],
    [
      'an unknown split',
      (v) => landed(v, { amount: '1', split: bad('price'), lines: [{ receiptId: 'r1' }] }),
      'COSTING_INVALID_INPUT',
      'split',
    ],
    [
      'a split by weight without weights',
      (v) =>
        landed(v, {
          amount: '1',
          split: 'weight',
          lines: [{ receiptId: 'r1', weight: '2' }, { receiptId: 'r2' }],
        }),
      'COSTING_INVALID_DECIMAL',
      'lines/1/weight',
    ],
    [
      'a negative volume',
      (v) => landed(v, { amount: '1', split: 'volume', lines: [{ receiptId: 'r1', volume: '-2' }] }),
      'COSTING_INVALID_ALLOCATION',
      'lines/0/volume',
    ],
    [
      'a split by value over zero-cost receipts only',
      (v) => landed(v, { amount: '1', split: 'value', lines: [{ receiptId: 'r2' }] }),
      'COSTING_INVALID_ALLOCATION',
      'split',
    ],
    [
      'a revaluation with both a unit cost and an amount',
      (v) => v.revalue({ revaluationId: 'x', date: day(5), unitCost: '1', amount: '1' }),
      'COSTING_INVALID_INPUT',
      'unitCost',
    ],
    [
      'a revaluation below zero',
      (v) => v.revalue({ revaluationId: 'x', date: day(5), amount: '-20.01' }),
      'COSTING_NEGATIVE_VALUE',
      'amount',
    ],
    [
      'a method change with stock and no revaluation',
      (v) => v.changeMethod({ changeId: 'x', date: day(5), method: 'average' }),
      'COSTING_REVALUATION_REQUIRED',
      'revaluation',
    ],
    [
      'a method change to the same method',
      (v) => v.changeMethod({ changeId: 'x', date: day(5), method: 'fifo' }),
      'COSTING_INVALID_METHOD',
      'method',
    ],
    [
      'a revaluation without a unit cost',
      (v) => v.changeMethod({ changeId: 'x', date: day(5), method: 'standard', revaluation: bad({}) }),
      'COSTING_INVALID_DECIMAL',
      'revaluation/unitCost',
    ],
    [
      'a change to standard at a revaluation other than the standard',
      (v) =>
        v.changeMethod({
          changeId: 'x',
          date: day(5),
          method: 'standard',
          standardPrice: '3',
          revaluation: { unitCost: '2' },
        }),
      'COSTING_INVALID_INPUT',
      'revaluation/unitCost',
    ],
    ['a step that is not an object', (v) => v.issue(bad(null)), 'COSTING_INVALID_INPUT', ''],
  ];
  for (const [what, step, code, field] of cases) {
    it(`refuses ${what} with ${code} on ${field || 'the input'}`, () => {
      const v = stocked();
      expectRefused(v, () => step(v), code, field);
    });
  }

  it('carries a suggested HTTP status and a message naming the field', () => {
    const v = stocked();
    try {
      v.issue({ issueId: 'x', date: day(5), qty: '100' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CostingError);
      const e = error as CostingError;
      expect([e.status, e.code, e.field, e.details]).toEqual([
        422,
        'COSTING_INSUFFICIENT_STOCK',
        'qty',
        { requested: '100', onHand: '12' },
      ]);
      expect(e.message).toBe('qty: exceeds the quantity on hand (12)');
    }
  });

  it('refuses a revaluation or method change while nothing or less than nothing is on hand', () => {
    const empty = createValuation({ method: 'average', allowNegativeStock: true });
    // average takes a unit cost with nothing on hand (see fallback.test.ts), but not an amount
    expectRefused(
      empty,
      () => empty.revalue({ revaluationId: 'x', date: day(1), amount: '3' }),
      'COSTING_NO_STOCK_TO_REVALUE',
      'amount',
    );
    const fifo = createValuation({ method: 'fifo' });
    expectRefused(
      fifo,
      () => fifo.revalue({ revaluationId: 'x', date: day(1), unitCost: '3' }),
      'COSTING_NO_STOCK_TO_REVALUE',
      'unitCost',
    );
    empty.issue({ issueId: 'i1', date: day(1), qty: '1' });
    expectRefused(
      empty,
      () => empty.changeMethod({ changeId: 'x', date: day(2), method: 'fifo' }),
      'COSTING_PENDING_NEGATIVE_STOCK',
      'method',
    );
    const std = createValuation({ method: 'standard', standardPrice: '1' });
    expectRefused(
      std,
      () => std.revalue({ revaluationId: 'x', date: day(1), amount: '3' }),
      'COSTING_INVALID_INPUT',
      'amount',
    );
  });

  it('refuses a caller-supplied record that belongs to another id', () => {
    const v = createValuation({ method: 'fifo', keepHistory: false });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '2' });
    const i1 = v.issue({ issueId: 'i1', date: day(2), qty: '4' }).issues[0] as IssueRecord;
    expectRefused(
      v,
      () => v.customerReturn({ returnId: 'x', issueId: 'i9', date: day(3), qty: '1', original: i1 }),
      'COSTING_RECORD_MISMATCH',
      'original/issueId',
    );
    expectRefused(
      v,
      () =>
        v.customerReturn({
          returnId: 'x',
          issueId: 'i1',
          date: day(3),
          qty: '1',
          original: { ...i1, cogs: '8.5x' },
        }),
      'COSTING_INVALID_DECIMAL',
      'original/cogs',
    );
  });

  it('refuses bad settings at creation', () => {
    const attempts: [() => unknown, string, string][] = [
      [() => createValuation({ method: bad('hifo') }), 'COSTING_INVALID_METHOD', 'method'],
      [() => createValuation({ method: 'standard' }), 'COSTING_INVALID_SETTING', 'standardPrice'],
      [
        () => createValuation({ method: 'fifo', currencyDecimals: 1.5 }),
        'COSTING_INVALID_SETTING',
        'currencyDecimals',
      ],
      [
        () => createValuation({ method: 'fifo', allowNegativeStock: bad('yes') }),
        'COSTING_INVALID_SETTING',
        'allowNegativeStock',
      ],
    ];
    for (const [attempt, code, field] of attempts)
      expect(attempt).toThrow(expect.objectContaining({ code, field }));
  });

  it('refuses an inconsistent snapshot', () => {
    const snapshot = stocked().toJSON();
    expect(() => restoreValuation({ ...snapshot, value: '22.01' })).toThrow(
      expect.objectContaining({ code: 'COSTING_INVALID_SNAPSHOT', field: 'layers' }),
    );
    expect(() => restoreValuation({ ...snapshot, layers: [{ ...snapshot.layers[0]!, qty: '-1' }] })).toThrow(
      expect.objectContaining({ code: 'COSTING_INVALID_SNAPSHOT', field: 'layers/0/qty' }),
    );
    expect(() => restoreValuation({ ...snapshot, receipts: [] })).toThrow(
      expect.objectContaining({ code: 'COSTING_INVALID_SNAPSHOT', field: 'layers/0/id' }),
    );
  });
});
