// Splitting a landed cost over receipt lines. Each line gets round(amount × basis ÷ total basis),
// half-up; the last line with a non-zero basis takes what is left, so the shares add up to the
// amount exactly (the ERPNext and Odoo convention: the rounding leftover lands on the last line).
import { type Dec, type Money, money as moneyOf, ONE, str, ZERO } from './decimal.js';
import { CostingErrorCode as C, fail } from './errors.js';
import { type Decimal, LANDED_COST_SPLITS, type LandedCostSplit } from './types.js';
import { requireAmount, requireDecimal, requireObject } from './validate.js';

export function allocate(money: Money, amount: Dec, bases: Dec[], field: string): Dec[] {
  const total = bases.reduce((sum, b) => sum.plus(b), ZERO);
  if (total.lte(ZERO)) fail(C.INVALID_ALLOCATION, field, 'the allocation basis of the lines adds up to zero');
  let last = -1;
  bases.forEach((b, i) => {
    if (!b.eq(ZERO)) last = i;
  });
  const shares = bases.map((b, i) => (i === last ? ZERO : money.mulDiv(amount, b, total)));
  const allocated = shares.reduce((sum, s) => sum.plus(s), ZERO);
  shares[last] = amount.minus(allocated);
  return shares;
}

export function requireSplit(value: unknown, field: string): LandedCostSplit {
  if (!LANDED_COST_SPLITS.includes(value as LandedCostSplit)) {
    return fail(C.INVALID_INPUT, field, `must be one of ${LANDED_COST_SPLITS.join(', ')}`);
  }
  return value as LandedCostSplit;
}

/** The basis of one line for a split; a missing or negative measure is refused with its field. */
export function basisOf(
  split: LandedCostSplit,
  line: { qty?: unknown; value?: unknown; weight?: unknown; volume?: unknown },
  field: string,
): Dec {
  if (split === 'equal') return ONE;
  const key = split === 'quantity' ? 'qty' : split;
  const basis = requireDecimal(line[key], `${field}/${key}`);
  if (basis.lt(ZERO)) fail(C.INVALID_ALLOCATION, `${field}/${key}`, 'must not be negative');
  return basis;
}

export interface AllocationInput {
  amount: Decimal;
  split: LandedCostSplit;
  /** Decimals of the currency's minor unit; default 2. */
  currencyDecimals?: number;
  /** Each line gives the measure its split needs: qty, value, weight or volume (totals of the line). */
  lines: { qty?: Decimal; value?: Decimal; weight?: Decimal; volume?: Decimal }[];
}

/**
 * Splits a landed cost over receipt lines that may belong to different items (different
 * valuations): apply each share to its item's valuation with `landedCost` (split `equal`, one line).
 */
export function allocateLandedCost(input: AllocationInput): Decimal[] {
  const o = requireObject(input, '');
  const decimals = o.currencyDecimals ?? 2;
  if (!Number.isInteger(decimals) || (decimals as number) < 0 || (decimals as number) > 12) {
    fail(C.INVALID_SETTING, 'currencyDecimals', 'must be an integer from 0 to 12');
  }
  const money = moneyOf(decimals as number);
  const amount = requireAmount(o.amount, 'amount', money);
  const split = requireSplit(o.split, 'split');
  if (!Array.isArray(o.lines) || o.lines.length === 0)
    fail(C.INVALID_INPUT, 'lines', 'must be a non-empty array');
  const lines = o.lines as unknown[];
  const bases = lines.map((line, i) => basisOf(split, requireObject(line, `lines/${i}`), `lines/${i}`));
  return allocate(money, amount, bases, 'split').map(str);
}
