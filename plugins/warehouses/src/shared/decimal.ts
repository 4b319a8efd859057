// The little decimal arithmetic routes need before SQL does the rest: sign, scale and whole-number
// checks on validated decimal strings. Sums and differences are computed by Postgres `numeric`.
const ZERO = /^-?0+(\.0+)?$/;

export const isZero = (d: string): boolean => ZERO.test(d);
export const isNegative = (d: string): boolean => d.startsWith('-') && !isZero(d);
export const abs = (d: string): string => (d.startsWith('-') ? d.slice(1) : d);
export const negate = (d: string): string => (d.startsWith('-') ? d.slice(1) : isZero(d) ? d : `-${d}`);

/** Decimal places that matter (trailing zeros do not): "1.50" has scale 1. */
export function scaleOf(d: string): number {
  const dot = d.indexOf('.');
  if (dot < 0) return 0;
  return d.slice(dot + 1).replace(/0+$/, '').length;
}

/** Whether the decimal equals the whole number n ("3", "3.000" and 3). */
export function equalsCount(d: string, n: number): boolean {
  if (scaleOf(d) !== 0) return false;
  const whole = abs(d).split('.')[0]!;
  return BigInt(whole) === BigInt(n);
}
