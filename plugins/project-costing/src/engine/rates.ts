// Cost rates (what an hour of a person costs the business) with effective dates, and exchange
// rates per date. Resolution rules:
// - A rate is in force from its effectiveFrom (included) to its effectiveTo (included, or open).
// - The most specific rate in force wins: the person's own rate over the rate of the person's role.
// - Among rates of the same specificity in force on the date, the one with the latest effectiveFrom
//   wins (a newer rate supersedes an older open-ended one without editing it).
// - Exchange rates are units of the tenant's base currency per one unit of the currency, the one
//   dated on or latest before the date; the base currency is 1. A missing rate is refused, never
//   guessed.
import { isIsoDate } from './calendar.js';
import { type Dec, dec, isDecimalString, ONE, ZERO } from './decimal.js';
import { refuse } from './errors.js';

export interface CostRate {
  id?: string;
  userId: string | null;
  role: string | null;
  /** Cost per hour, a decimal string ≥ 0, in `currency`. */
  rate: string;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export function checkCostRate(r: CostRate, at = '') {
  if ((r.userId === null) === (r.role === null))
    refuse(422, 'PROJECT_RATE_SUBJECT', `${at}userId`, 'give exactly one of userId or role');
  if (!isIsoDate(r.effectiveFrom))
    refuse(422, 'PROJECT_RATE_EFFECTIVE_DATE', `${at}effectiveFrom`, 'a rate needs an effective date');
  if (r.effectiveTo !== null && (!isIsoDate(r.effectiveTo) || r.effectiveTo < r.effectiveFrom))
    refuse(422, 'PROJECT_DATES_REVERSED', `${at}effectiveTo`, 'must be a date not before effectiveFrom');
  if (!isDecimalString(r.rate) || dec(r.rate).lt(ZERO))
    refuse(422, 'PROJECT_INVALID_RATE', `${at}rate`, 'must be a decimal ≥ 0');
}

const inForce = (r: CostRate, date: string) =>
  r.effectiveFrom <= date && (r.effectiveTo === null || r.effectiveTo >= date);

const latest = (rates: CostRate[]) =>
  rates.reduce<CostRate | null>(
    (best, r) => (!best || r.effectiveFrom > best.effectiveFrom ? r : best),
    null,
  );

/** The cost rate in force for a person (and their role) on a date, or null when none is. */
export function resolveCostRate(
  rates: readonly CostRate[],
  who: { userId: string; role: string | null },
  date: string,
): CostRate | null {
  const own = rates.filter((r) => r.userId === who.userId && inForce(r, date));
  if (own.length) return latest(own);
  if (who.role === null) return null;
  return latest(rates.filter((r) => r.userId === null && r.role === who.role && inForce(r, date)));
}

export interface ExchangeRate {
  currency: string;
  on: string;
  /** Units of the base currency per one unit of `currency`. */
  rate: string;
}

function toBase(
  rates: readonly ExchangeRate[],
  currency: string,
  base: string,
  date: string,
  field: string,
): Dec {
  if (currency === base) return ONE;
  let best: ExchangeRate | undefined;
  for (const r of rates) if (r.currency === currency && r.on <= date && (!best || r.on > best.on)) best = r;
  if (!best)
    return refuse(
      422,
      'PROJECT_RATE_MISSING',
      field,
      `no exchange rate for ${currency} on or before ${date}`,
    );
  return dec(best.rate);
}

/**
 * Converts an amount from one currency to another through the base currency at the rates in force
 * on `date`, unrounded. `field` names the input the refusal points at when a rate is missing.
 */
export function convert(
  amount: Dec,
  from: string,
  to: string,
  date: string,
  ctx: { base: string; rates: readonly ExchangeRate[]; field?: string },
): Dec {
  if (from === to) return amount;
  const field = ctx.field ?? 'currency';
  const inBase = amount.times(toBase(ctx.rates, from, ctx.base, date, field));
  return inBase.div(toBase(ctx.rates, to, ctx.base, date, field));
}

/** ISO 4217 alphabetic codes the plugin accepts (the common ones; extend as tenants need). */
export const CURRENCIES = new Set(
  'AED AUD BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP HKD HUF IDR ILS INR ISK JPY KRW MXN MYR NGN NOK NZD PEN PHP PKR PLN RON SAR SEK SGD THB TRY TWD UAH USD VND ZAR'.split(
    ' ',
  ),
);

/** Decimals of the currency's minor unit (ISO 4217): 0 for JPY, KRW, CLP, ISK, VND; else 2. */
export const minorUnit = (currency: string) =>
  ['JPY', 'KRW', 'CLP', 'ISK', 'VND'].includes(currency) ? 0 : 2;

export function checkCurrency(currency: string, field = 'currency') {
  if (!CURRENCIES.has(currency))
    refuse(422, 'PROJECT_UNKNOWN_CURRENCY', field, `unknown currency ${currency}`);
}
