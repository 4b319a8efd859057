// Decimal arithmetic for the earned-value, rate and budget engines. big.js, as the costing plugin
// uses: add, sub and mul are exact, so the only place a result is rounded is a division (ratios
// keep RATIO_DECIMALS places, truncated: "unrounded" for any practical purpose) and money is
// rounded half-up to the currency's minor unit only when it is presented (`money`).
import BigJs from 'big.js';

export type Dec = BigJs.Big;

/** Our own constructor, so our settings cannot leak into (or be changed by) other users of big.js. */
const Big = BigJs();
export const RATIO_DECIMALS = 20;
Big.DP = RATIO_DECIMALS;
Big.RM = Big.roundDown;
Big.NE = -1_000_000;
Big.PE = 1_000_000;
Big.strict = true;

export const ZERO: Dec = new Big('0');
export const ONE: Dec = new Big('1');
export const HUNDRED: Dec = new Big('100');

const DECIMAL = /^-?\d{1,40}(\.\d{1,40})?$/;

export const isDecimalString = (value: unknown): value is string =>
  typeof value === 'string' && DECIMAL.test(value);

/** Parses a decimal string (the caller checked it, or it came from Postgres numeric). */
export const dec = (value: string | Dec): Dec => (typeof value === 'string' ? new Big(value) : value);

export const str = (d: Dec): string => d.toString();

export const sum = (values: readonly Dec[]): Dec => values.reduce((a, b) => a.plus(b), ZERO);

/** a ÷ b, or null when b is zero (an index with nothing to divide by is undefined, not 0 or ∞). */
export const ratio = (a: Dec, b: Dec): Dec | null => (b.eq(ZERO) ? null : a.div(b));

/** Money at the edge: half-up (away from zero on a tie) to `decimals` places. */
export const money = (d: Dec, decimals: number): string =>
  d.round(decimals, Big.roundHalfUp).toFixed(decimals);
