// Cost rates with effective dates (overlapping ones included), exchange rates per date, and budgets
// revised by change orders: the rules in src/engine/rates.ts and budget.ts.
import { describe, expect, it } from 'vitest';
import {
  type CostRate,
  checkCostRate,
  convert,
  dec,
  ProjectError,
  resolveCostRate,
  reviseBudget,
  str,
} from '../../src/engine/index.js';

const U = '00000000-0000-4000-8000-000000000001';
const rate = (r: Partial<CostRate>): CostRate => ({
  userId: null,
  role: null,
  rate: '0',
  currency: 'EUR',
  effectiveFrom: '2025-01-01',
  effectiveTo: null,
  ...r,
});

describe('cost rates', () => {
  const rates = [
    rate({ role: 'engineer', rate: '40', effectiveFrom: '2025-01-01' }),
    // A raise for the role from 1 April, overlapping the open-ended January rate: the later one wins.
    rate({ role: 'engineer', rate: '45', effectiveFrom: '2025-04-01' }),
    // The person's own rate for March only, overlapping both role rates: the most specific wins.
    rate({ userId: U, rate: '100', currency: 'USD', effectiveFrom: '2025-03-01', effectiveTo: '2025-03-31' }),
  ];
  const who = { userId: U, role: 'engineer' };
  it('the person’s own rate beats the role’s; the latest effectiveFrom in force wins; effectiveTo ends a rate', () => {
    expect(resolveCostRate(rates, who, '2025-02-28')?.rate).toBe('40');
    expect(resolveCostRate(rates, who, '2025-03-01')?.rate).toBe('100');
    expect(resolveCostRate(rates, who, '2025-03-31')?.rate).toBe('100');
    expect(resolveCostRate(rates, who, '2025-04-01')?.rate).toBe('45');
    expect(resolveCostRate(rates, { userId: U, role: null }, '2025-04-01')).toBeNull();
    expect(resolveCostRate(rates, who, '2024-12-31')).toBeNull();
  });
  it('a rate needs exactly one subject and an effective date', () => {
    expect(() => checkCostRate(rate({ rate: '1' }))).toThrow(/userId: give exactly one/);
    expect(() => checkCostRate(rate({ role: 'x', effectiveFrom: '' }))).toThrow(ProjectError);
    expect(() => checkCostRate(rate({ role: 'x', effectiveTo: '2024-12-31' }))).toThrow(/effectiveTo/);
  });
});

describe('exchange rates', () => {
  const ctx = {
    base: 'EUR',
    rates: [
      { currency: 'USD', on: '2025-01-01', rate: '0.8' },
      { currency: 'USD', on: '2025-03-01', rate: '0.9' },
      { currency: 'GBP', on: '2025-01-01', rate: '1.2' },
    ],
  };
  it('converts through the base currency at the rate dated on or latest before the day', () => {
    expect(str(convert(dec('100'), 'USD', 'EUR', '2025-02-28', ctx))).toBe('80');
    expect(str(convert(dec('100'), 'USD', 'EUR', '2025-03-01', ctx))).toBe('90');
    expect(str(convert(dec('500'), 'GBP', 'USD', '2025-02-01', ctx))).toBe('750');
    expect(str(convert(dec('7'), 'JPY', 'JPY', '2025-02-01', ctx))).toBe('7');
  });
  it('a missing rate is refused naming the field, never guessed', () => {
    expect(() => convert(dec('1'), 'USD', 'EUR', '2024-12-31', { ...ctx, field: 'currency' })).toThrow(
      'currency: no exchange rate for USD on or before 2024-12-31',
    );
  });
});

describe('budgets and change orders', () => {
  const original = [
    { category: 'labour', period: '2025-06', amount: '2000' },
    { category: 'travel', period: '2025-06', amount: '300' },
  ];
  const co = (
    number: number,
    lines: { category: string; period: string; delta: string }[],
    contractDelta = '0',
  ) => ({
    number,
    reason: `CO ${number}`,
    effectiveOn: '2025-06-10',
    lines,
    contractDelta,
  });
  it('applies change orders in order and keeps the total after each', () => {
    const s = reviseBudget(original, '5000', [
      co(1, [{ category: 'labour', period: '2025-07', delta: '500' }], '800'),
      co(2, [{ category: 'travel', period: '2025-06', delta: '-300' }]),
    ]);
    expect(s.lines.map((l) => [l.category, l.period, str(l.amount)])).toEqual([
      ['labour', '2025-06', '2000'],
      ['labour', '2025-07', '500'],
      ['travel', '2025-06', '0'],
    ]);
    expect(s.history.map((h) => [h.number, str(h.total), str(h.contractValue)])).toEqual([
      [1, '2800', '5800'],
      [2, '2500', '5800'],
    ]);
  });
  it('refuses a change order that takes a line below zero', () => {
    expect(() =>
      reviseBudget(original, '0', [co(1, [{ category: 'travel', period: '2025-06', delta: '-300.01' }])]),
    ).toThrow(/lines\/0\/delta: would take travel 2025-06 to -0.01/);
  });
});
