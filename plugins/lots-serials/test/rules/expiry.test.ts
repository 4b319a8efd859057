// The expiry rules library: dates computed from the receipt date (hand-counted calendar days),
// FEFO order, status, the delivery rule and the settings' consistency. Pure: no kernel. Behaviour
// learnt from Odoo's product_expiry (addons/product_expiry/tests/test_stock_production_lot.py: a lot
// gets expiration, best-before, removal and alert dates from the product's times; a lot past its
// alert date is flagged; delivering an expired lot asks for confirmation,
// wizard/confirm_expiry.py) and ERPNext's batch expiry (stock/doctype/batch/test_batch.py:
// shelf life in days from the manufacturing date). Our own numbers.
import { describe, expect, it } from 'vitest';
import { canDeliver, checkExpirySettings, expiryStatus, fefoOrder, lotDates } from '../../src/rules/index.js';

describe('expiry rules', () => {
  const item = { expirationDays: 30, bestBeforeDays: 15, removalDays: 20, alertDays: 25 };

  it('computes a lot’s dates from its receipt date (offsets from the receipt)', () => {
    // 2025-01-30 + 30 days: Jan 31 is +1, Feb 28 +29, Mar 1 +30
    expect(lotDates('2025-01-30', item)).toEqual({
      expiresOn: '2025-03-01',
      bestBeforeOn: '2025-02-14', // +15
      removalOn: '2025-02-19', // +20
      alertOn: '2025-02-24', // +25
    });
    // across a leap day: 2024-02-20 + 30 = 2024-03-21
    expect(lotDates('2024-02-20', { expirationDays: 30 }).expiresOn).toBe('2024-03-21');
  });

  it('counts back from the expiration date as Odoo 15+, and keeps the dates given', () => {
    expect(lotDates('2025-01-30', { ...item, removalDays: 10, offsetsFrom: 'expiration' })).toEqual({
      expiresOn: '2025-03-01',
      bestBeforeOn: '2025-02-14', // 15 days before Mar 1
      removalOn: '2025-02-19', // 10 days before
      alertOn: '2025-02-04', // 25 days before
    });
    expect(lotDates('2025-01-30', item, { expiresOn: '2025-12-31' }).expiresOn).toBe('2025-12-31');
    expect(lotDates('2025-01-30', {})).toEqual({
      expiresOn: null,
      bestBeforeOn: null,
      removalOn: null,
      alertOn: null,
    });
  });

  it('orders first expired first out by removal date, undated lots last', () => {
    const lots = [
      { code: 'C', receivedOn: '2025-01-01' },
      { code: 'B', receivedOn: '2025-01-02', expiresOn: '2025-03-01' },
      { code: 'A', receivedOn: '2025-01-03', removalOn: '2025-02-01', expiresOn: '2025-04-01' },
      { code: 'D', receivedOn: '2025-01-01', expiresOn: '2025-03-01' },
    ];
    expect(fefoOrder(lots).map((l) => l.code)).toEqual(['A', 'D', 'B', 'C']);
  });

  it('flags a lot past its alert date and allows an expired delivery only where allowed', () => {
    // alert +18 → 2025-02-17, removal +20 → 2025-02-19, expiration +30 → 2025-03-01
    const dates = lotDates('2025-01-30', { ...item, alertDays: 18 });
    expect(expiryStatus(dates, '2025-02-16')).toBe('ok');
    expect(expiryStatus(dates, '2025-02-17')).toBe('alert');
    expect(expiryStatus(dates, '2025-02-19')).toBe('removal');
    expect(expiryStatus(dates, '2025-03-01')).toBe('expired');
    expect(canDeliver(dates, '2025-03-02', false)).toEqual({
      allowed: false,
      status: 'expired',
      warning: 'the lot expired on 2025-03-01',
    });
    expect(canDeliver(dates, '2025-03-02', true)).toMatchObject({ allowed: true, status: 'expired' });
    expect(canDeliver(dates, '2025-02-01', false)).toEqual({ allowed: true, status: 'ok' });
  });

  it('refuses a malformed date or offset, naming it', () => {
    expect(() => lotDates('2025-02-30', item)).toThrow(/receivedOn/);
    expect(() => lotDates('2025-01-30', { expirationDays: -1 })).toThrow(/expirationDays/);
  });

  it('refuses settings that contradict, naming the setting', () => {
    expect(checkExpirySettings({ expirationDays: 30, alertDays: 31 })).toEqual([
      { field: 'alertDays', message: 'the alert date would fall after the expiration date (31 > 30 days)' },
    ]);
    expect(
      checkExpirySettings({ expirationDays: 30, removalDays: 40, offsetsFrom: 'expiration' })[0]?.field,
    ).toBe('removalDays');
    expect(checkExpirySettings({ removalDays: 5, offsetsFrom: 'expiration' })[0]?.field).toBe('removalDays');
    expect(checkExpirySettings({ bestBeforeDays: 1.5 })[0]?.field).toBe('bestBeforeDays');
    // equal to the expiration is fine; no expiration with offsets from the receipt is fine
    expect(checkExpirySettings({ expirationDays: 30, removalDays: 30, alertDays: 0 })).toEqual([]);
    expect(checkExpirySettings({ alertDays: 10 })).toEqual([]);
  });
});
