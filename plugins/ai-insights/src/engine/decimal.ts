// Decimal arithmetic for the engine's money and quantities that are shown or stored as they are
// (anomaly values, medians and spreads; usage values; on-hand and aging quantities), with big.js as
// the other plugins use it. Scores, shares and the forecasting statistics are floats: they are
// estimates, rounded when shown. Our own constructor, so these settings neither leak into nor depend on other users
// of big.js; strict, so a float handed in by mistake throws instead of carrying its binary error.
import BigJs from 'big.js';

export type Dec = BigJs.Big;

const Big = BigJs();
Big.DP = 12;
Big.RM = Big.roundHalfUp;
// Never exponential notation: these strings go to JSON and the screen.
Big.NE = -1_000_000;
Big.PE = 1_000_000;
Big.strict = true;

const DECIMAL = /^-?\d{1,40}(\.\d{1,40})?$/;

/** A decimal from its string, or null when it is not a plain decimal. */
export function parseDecimal(s: string | null | undefined): Dec | null {
  return typeof s === 'string' && DECIMAL.test(s) ? new Big(s) : null;
}

export const ZERO: Dec = new Big('0');
const HALF = new Big('0.5');

/** The median of decimals, exact (the mean of the two middle values for an even count). */
export function decimalMedian(values: readonly Dec[]): Dec {
  const sorted = [...values].sort((a, b) => a.cmp(b));
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).times(HALF);
}

/** Plain notation without trailing zeros, at most `places` decimals (a spread can divide unevenly). */
export function show(d: Dec, places = 6): string {
  const s = d.round(places).toFixed();
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export const dec = (s: string): Dec => new Big(s);

/** A decimal string from the database or an event, or zero when absent. */
export const decOr0 = (s: string | null | undefined): Dec => parseDecimal(s) ?? ZERO;
