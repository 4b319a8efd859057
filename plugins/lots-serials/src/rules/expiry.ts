// Expiry rules per item, as Odoo's product expiry: an item carries offsets in days, and a lot
// received without dates gets them computed from its receipt date. `offsetsFrom: 'receipt'`
// (the default, Odoo up to 14 and what issue 14 asks for) counts every offset from the receipt
// date; `'expiration'` (Odoo 15 and later) counts best-before, removal and alert back from the
// expiration date. Dates are ISO calendar dates (YYYY-MM-DD); arithmetic is in UTC days, so no
// time zone or daylight-saving change moves a date.

export interface ExpirySettings {
  /** Days from receipt to the expiration date (the goods may become dangerous). */
  expirationDays?: number;
  /** Best before (use) date offset. */
  bestBeforeDays?: number;
  /** Removal date offset: from then on FEFO stops proposing the lot. */
  removalDays?: number;
  /** Alert date offset: from then on the lot is flagged. */
  alertDays?: number;
  offsetsFrom?: 'receipt' | 'expiration';
}

export interface LotDates {
  expiresOn: string | null;
  bestBeforeOn: string | null;
  removalOn: string | null;
  alertOn: string | null;
}

const DAY = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(date: string, field: string): number {
  const m = ISO.exec(date);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(t).getUTCDate() !== Number(m[3]))
    throw new RangeError(`${field}: must be a calendar date such as 2025-03-01`);
  return t;
}

const format = (t: number): string => new Date(t).toISOString().slice(0, 10);

function days(value: number | undefined, field: string): number | null {
  if (value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > 36_500)
    throw new RangeError(`${field}: must be a whole number of days from 0 to 36500`);
  return value;
}

/**
 * The lot's dates: those given win; the others are computed from the receipt date and the item's
 * settings (null when the item has no such offset).
 */
export function lotDates(
  receivedOn: string,
  settings: ExpirySettings,
  given: Partial<LotDates> = {},
): LotDates {
  const received = parse(receivedOn, 'receivedOn');
  const fromExpiration = settings.offsetsFrom === 'expiration';
  const expiration = days(settings.expirationDays, 'expirationDays');
  const expiresOn = given.expiresOn ?? (expiration === null ? null : format(received + expiration * DAY));
  const offset = (value: number | undefined, field: string): string | null => {
    const n = days(value, field);
    if (n === null) return null;
    if (!fromExpiration) return format(received + n * DAY);
    return expiresOn === null ? null : format(parse(expiresOn, 'expiresOn') - n * DAY);
  };
  return {
    expiresOn,
    bestBeforeOn: given.bestBeforeOn ?? offset(settings.bestBeforeDays, 'bestBeforeDays'),
    removalOn: given.removalOn ?? offset(settings.removalDays, 'removalDays'),
    alertOn: given.alertOn ?? offset(settings.alertDays, 'alertDays'),
  };
}

export interface FefoLot extends Partial<LotDates> {
  code: string;
  receivedOn: string;
}

/**
 * First expired, first out: by removal date (else expiration date), lots without either last, then
 * the oldest receipt, then the code (a stable, total order).
 */
export function fefoOrder<T extends FefoLot>(lots: readonly T[]): T[] {
  const key = (l: T) => l.removalOn ?? l.expiresOn ?? null;
  return [...lots].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return ka < kb ? -1 : 1;
    }
    if (a.receivedOn !== b.receivedOn) return a.receivedOn < b.receivedOn ? -1 : 1;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

export type ExpiryStatus = 'ok' | 'alert' | 'removal' | 'expired';

/** The lot's state on `today`: expired from its expiration date, else removal, else alert. */
export function expiryStatus(lot: Partial<LotDates>, today: string): ExpiryStatus {
  parse(today, 'today');
  if (lot.expiresOn && today >= lot.expiresOn) return 'expired';
  if (lot.removalOn && today >= lot.removalOn) return 'removal';
  if (lot.alertOn && today >= lot.alertOn) return 'alert';
  return 'ok';
}

export interface DeliveryDecision {
  allowed: boolean;
  status: ExpiryStatus;
  /** Set when the lot is past its alert, removal or expiration date: the response says so. */
  warning?: string;
}

/** Delivering an expired lot is allowed only where the tenant allows it, and then says so. */
export function canDeliver(lot: Partial<LotDates>, today: string, allowExpired: boolean): DeliveryDecision {
  const status = expiryStatus(lot, today);
  if (status === 'ok') return { allowed: true, status };
  const warning =
    status === 'expired'
      ? `the lot expired on ${lot.expiresOn}`
      : status === 'removal'
        ? `the lot was due for removal on ${lot.removalOn}`
        : `the lot passed its alert date ${lot.alertOn}`;
  return { allowed: status !== 'expired' || allowExpired, status, warning };
}

export interface SettingsProblem {
  /** The setting at fault (a key of ExpirySettings). */
  field: keyof ExpirySettings;
  message: string;
}

/**
 * Settings that contradict themselves: a best-before, removal or alert date after the expiration
 * date, an offset counted back from an expiration the item does not have, or a count that is not a
 * whole number of days. Odoo computes such dates without complaint (and then flags a lot after it
 * expired); refusing them up front is our choice.
 */
export function checkExpirySettings(settings: ExpirySettings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const fields = ['expirationDays', 'bestBeforeDays', 'removalDays', 'alertDays'] as const;
  for (const field of fields) {
    try {
      days(settings[field], field);
    } catch (err) {
      problems.push({ field, message: (err as Error).message.replace(`${field}: `, '') });
    }
  }
  if (problems.length) return problems;
  const expiration = settings.expirationDays;
  for (const field of fields.slice(1)) {
    const n = settings[field];
    if (n === undefined) continue;
    const what = field.replace('Days', '');
    if (expiration === undefined) {
      if (settings.offsetsFrom === 'expiration')
        problems.push({
          field,
          message: `counted back from the expiration date, so expirationDays is needed`,
        });
    } else if (n > expiration)
      problems.push({
        field,
        message:
          settings.offsetsFrom === 'expiration'
            ? `${n} days before expiration is before the receipt (expirationDays is ${expiration})`
            : `the ${what} date would fall after the expiration date (${n} > ${expiration} days)`,
      });
  }
  return problems;
}
