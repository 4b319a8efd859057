// Decimal arithmetic for hours and money: big.js (as the costing plugin) because add, sub and mul
// are exact; the only rounding is where we ask for it. Our own constructor keeps our settings
// private; strict mode makes passing a JavaScript number (a float) an error.
import BigJs from 'big.js';

export type Dec = BigJs.Big;

const Big = BigJs();
Big.DP = 20;
Big.RM = Big.roundHalfUp;
Big.NE = -1_000_000;
Big.PE = 1_000_000;
Big.strict = true;

export const dec = (value: string): Dec => new Big(value);
export const ZERO: Dec = dec('0');
export const sum = (values: readonly Dec[]): Dec => values.reduce((a, b) => a.plus(b), ZERO);
export const max = (a: Dec, b: Dec): Dec => (a.gte(b) ? a : b);
export const min = (a: Dec, b: Dec): Dec => (a.lte(b) ? a : b);

/** Plain decimal notation with trailing zeros trimmed ("7.50" → "7.5", "0" stays "0"). */
export const str = (value: Dec): string => value.toString();

/** Money at the edge: half-up (ties away from zero) to the currency's minor unit, fixed places. */
export const roundMoney = (value: Dec, decimals = 2): string =>
  value.round(decimals, Big.roundHalfUp).toFixed(decimals);
