// Input checks shared by the steps. Each names the field it refuses, so a route can answer with
// a problem pointing at it. Inputs may come straight from JSON, so nothing here trusts the types.
import { type Dec, dec, decimalPlaces, isDecimalString, type Money, ZERO } from './decimal.js';
import { CostingErrorCode as C, fail } from './errors.js';
import { COSTING_METHODS, type CostingMethod } from './types.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(C.INVALID_INPUT, field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    return fail(C.INVALID_ID, field, 'must be a non-empty string of at most 200 characters');
  }
  return value;
}

/** Moves come in date order, so most dates are the one just checked. */
let lastValidDate = '';

export function requireDate(value: unknown, field: string): string {
  if (value === lastValidDate) return value;
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  // Date.parse alone accepts 2025-02-31 (it rolls over to March): check the day exists.
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !day || day.getUTCMonth() !== Number(m[2]) - 1 || Number.isNaN(Date.parse(value as string))) {
    return fail(C.INVALID_DATE, field, 'must be an ISO 8601 date such as 2025-03-01');
  }
  lastValidDate = value as string;
  return lastValidDate;
}

export function requireDecimal(value: unknown, field: string): Dec {
  if (!isDecimalString(value)) {
    return fail(C.INVALID_DECIMAL, field, 'must be a decimal string such as "12.50" (not a number)');
  }
  return dec(value);
}

export function requirePositiveQty(value: unknown, field: string): Dec {
  const qty = requireDecimal(value, field);
  if (qty.lte(ZERO)) fail(C.INVALID_QUANTITY, field, 'must be greater than zero', { value: qty.toString() });
  return qty;
}

export function requireUnitCost(value: unknown, field: string): Dec {
  const cost = requireDecimal(value, field);
  if (cost.lt(ZERO)) fail(C.INVALID_UNIT_COST, field, 'must not be negative', { value: cost.toString() });
  return cost;
}

/** A money amount: at most the currency's decimals; positive unless `allowNegative` (never zero). */
export function requireAmount(value: unknown, field: string, money: Money, allowNegative = false): Dec {
  const amount = requireDecimal(value, field);
  if (amount.eq(ZERO) || (!allowNegative && amount.lt(ZERO))) {
    fail(C.INVALID_AMOUNT, field, allowNegative ? 'must not be zero' : 'must be greater than zero');
  }
  if (decimalPlaces(amount) > money.decimals) {
    fail(C.INVALID_AMOUNT, field, `must have at most ${money.decimals} decimals (the currency's minor unit)`);
  }
  return amount;
}

/** Specific identification needs the serial or batch; other methods ignore it. */
export function requireLot(method: CostingMethod, value: unknown, field: string): string | undefined {
  if (method !== 'specific') return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    return fail(
      C.LOT_REQUIRED,
      field,
      'name the serial or batch: specific identification costs each on its own',
    );
  }
  return value;
}

/** What a specific-identification step names: one serial or batch, or a line of several serials. */
export type Named = { lot: string; serials?: undefined } | { lot?: undefined; serials: string[] };

/**
 * The serial or batch (`lot`) a step names under specific identification, or its `serials` (one
 * unit each, so exactly `qty` of them, all different). Undefined under the other methods. A list
 * of one serial is the same as naming it as `lot`.
 */
export function requireNamed(method: CostingMethod, o: Record<string, unknown>, qty: Dec): Named | undefined {
  if (method !== 'specific') return undefined;
  if (o.serials === undefined) return { lot: requireLot(method, o.lot, 'lot')! };
  if (o.lot !== undefined) fail(C.INVALID_INPUT, 'serials', 'name a lot or serials, not both');
  const serials = requireSerials(o.serials, 'serials');
  if (!qty.eq(dec(String(serials.length)))) {
    fail(C.INVALID_QUANTITY, 'qty', `must be the number of serials (${serials.length}): each is one unit`);
  }
  return serials.length === 1 ? { lot: serials[0]! } : { serials };
}

/** A non-empty list of distinct serials. */
export function requireSerials(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    return fail(C.LOT_REQUIRED, field, 'must be a non-empty array of serials');
  }
  const seen = new Set<string>();
  return (value as unknown[]).map((v, i) => {
    const serial = requireLot('specific', v, `${field}/${i}`)!;
    if (seen.has(serial)) fail(C.INVALID_INPUT, `${field}/${i}`, `names serial ${serial} twice`);
    seen.add(serial);
    return serial;
  });
}

export function requireMethod(value: unknown, field: string): CostingMethod {
  if (!COSTING_METHODS.includes(value as CostingMethod)) {
    return fail(C.INVALID_METHOD, field, `must be one of ${COSTING_METHODS.join(', ')}`);
  }
  return value as CostingMethod;
}
