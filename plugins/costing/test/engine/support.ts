// Helpers for the engine tests: exact decimal sums (big.js, never floats) and the balance checks.
import Big from 'big.js';
import { expect } from 'vitest';
import type { Entry, Valuation } from '../../src/index.js';

export const sum = (...values: string[]): string =>
  values.reduce((a, b) => a.plus(b), new Big('0')).toString();

/** received + landed + revaluation = cogs + variance + value on hand, exactly. */
export function expectBalanced(v: Valuation): void {
  const t = v.totals();
  expect(sum(t.received, t.landed, t.revaluation)).toBe(sum(t.cogs, t.variance, t.value));
}

/** Every entry balances on its own. */
export function expectEntriesBalance(entries: Entry[]): void {
  for (const e of entries)
    expect(sum(e.received, e.landed, e.revaluation), JSON.stringify(e)).toBe(
      sum(e.cogs, e.variance, e.stock),
    );
}

/** Runs `step` and checks it throws a CostingError with this code and field, changing nothing. */
export function expectRefused(v: Valuation, step: () => unknown, code: string, field: string): void {
  const before = JSON.stringify(v.toJSON());
  let error: unknown;
  try {
    step();
  } catch (e) {
    error = e;
  }
  expect(error, 'the step should have been refused').toBeDefined();
  expect(error).toMatchObject({ name: 'CostingError', code, field });
  expect(JSON.stringify(v.toJSON())).toBe(before);
}

export const day = (n: number): string => `2025-01-${String(n).padStart(2, '0')}`;
