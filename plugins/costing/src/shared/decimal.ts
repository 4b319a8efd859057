// The few rates the plugin derives itself (the unit cost a transfer or a return across warehouses
// carries): value ÷ quantity, truncated at the engine's RATE_DECIMALS places, so that
// round(qty × rate) gives back the value exactly. Sums are left to Postgres numeric.
import BigJs from 'big.js';
import { RATE_DECIMALS } from '../engine/index.js';

const Big = BigJs();
Big.DP = RATE_DECIMALS;
Big.RM = Big.roundDown;
Big.NE = -1_000_000;
Big.PE = 1_000_000;
Big.strict = true;

export const dec = (s: string) => new Big(s);
export const str = (d: BigJs.Big) => d.toString();

/** value ÷ qty, unrounded (truncated at RATE_DECIMALS places). */
export const rate = (value: string, qty: string): string => str(dec(value).div(dec(qty)));

/** round(a × b) half-up to `decimals` places. */
export const roundMul = (a: string, b: string, decimals: number): string =>
  str(dec(a).times(dec(b)).round(decimals, Big.roundHalfUp));

export const sub = (a: string, b: string): string => str(dec(a).minus(dec(b)));
export const add = (a: string, b: string): string => str(dec(a).plus(dec(b)));
export const isZero = (a: string): boolean => dec(a).eq(dec('0'));
export const gt = (a: string, b: string): boolean => dec(a).gt(dec(b));
export const neg = (a: string): string => str(dec(a).neg());
