// Hours and ratios as decimals (big.js: exact add, sub and mul; division to RATIO_DECIMALS places,
// which is "unrounded" for any planning purpose). Never JavaScript numbers.
import BigJs from 'big.js';

export type Dec = BigJs.Big;

const Big = BigJs();
export const RATIO_DECIMALS = 10;
Big.DP = RATIO_DECIMALS;
Big.RM = Big.roundHalfUp;
Big.NE = -1_000_000;
Big.PE = 1_000_000;
Big.strict = true;

export const dec = (value: string): Dec => new Big(value);
export const ZERO: Dec = dec('0');
export const HUNDRED: Dec = dec('100');
export const str = (value: Dec): string => value.toString();
export const sum = (values: readonly Dec[]): Dec => values.reduce((a, b) => a.plus(b), ZERO);
export const minDec = (a: Dec, b: Dec): Dec => (a.lte(b) ? a : b);
