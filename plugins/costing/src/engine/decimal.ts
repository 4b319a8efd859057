// Decimal arithmetic for the engine. big.js is used rather than decimal.js because its add, sub and
// mul are exact (decimal.js rounds every result to a number of significant digits), so the only
// place a result can be rounded is a division, where we choose how; it is also the smaller and
// faster of the two. JavaScript numbers never hold money or quantities here: the constructor is
// in strict mode, so passing a number throws.
import BigJs from 'big.js';

export type Dec = BigJs.Big;

/** Our own constructor, so our settings cannot leak into (or be changed by) other users of big.js. */
const Big = BigJs();
/**
 * Unit rates derived by division (an average, value ÷ quantity) keep this many decimal places:
 * "unrounded" for any practical purpose. Divisions truncate; amounts are then rounded half-up to
 * the currency's minor unit, and truncating at more places than that before rounding never changes
 * the rounded result (every rounding boundary is representable, and truncation is monotone).
 */
export const RATE_DECIMALS = 30;
Big.DP = RATE_DECIMALS;
Big.RM = Big.roundDown;
// Never print exponential notation: decimal strings go to JSON and to Postgres numeric.
Big.NE = -1_000_000;
Big.PE = 1_000_000;
Big.strict = true;

export const ZERO: Dec = new Big('0');
export const ONE: Dec = new Big('1');

/** Plain decimal notation: optional minus, digits, optional fraction. No exponent, no plus sign. */
const DECIMAL = /^-?\d{1,40}(\.\d{1,40})?$/;

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

/** Parses a string already checked with isDecimalString. */
export function dec(value: string): Dec {
  return new Big(value);
}

/** Plain decimal notation; the shared ZERO (most unused amounts) skips big.js's formatting. */
export const str = (value: Dec): string => (value === ZERO ? '0' : value.toString());

export const min = (a: Dec, b: Dec): Dec => (a.lte(b) ? a : b);
export const max = (a: Dec, b: Dec): Dec => (a.gte(b) ? a : b);

export function decimalPlaces(value: Dec): number {
  return Math.max(0, value.c.length - value.e - 1);
}

/** Rounding of money to the currency's minor unit, half-up (ties away from zero). */
export interface Money {
  readonly decimals: number;
  round(value: Dec): Dec;
  /** round(a × b ÷ c) with no intermediate rounding beyond RATE_DECIMALS truncation (see above). */
  mulDiv(a: Dec, b: Dec, c: Dec): Dec;
  /** The share of `value` that `part` of `whole` carries; the whole part takes exactly the value. */
  share(value: Dec, part: Dec, whole: Dec): Dec;
}

export function money(decimals: number): Money {
  const round = (value: Dec): Dec => value.round(decimals, Big.roundHalfUp);
  // The quotient only needs one place beyond the minor unit before the half-up rounding (see
  // RATE_DECIMALS); big.js divides digit by digit, so asking for 3 places rather than 30 makes
  // this, the engine's hottest operation, several times faster.
  const mulDiv = (a: Dec, b: Dec, c: Dec): Dec => {
    Big.DP = decimals + 1;
    try {
      return round(a.times(b).div(c));
    } finally {
      Big.DP = RATE_DECIMALS;
    }
  };
  return {
    decimals,
    round,
    mulDiv,
    share: (value, part, whole) => (part.eq(whole) ? value : mulDiv(value, part, whole)),
  };
}
