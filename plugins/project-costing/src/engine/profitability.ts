// Profitability per project. Conventions:
// - Fixed price: revenue is earned by percentage of completion on cost-based earned value,
//   contract value × EV / BAC; the forecast margin is contract value − EAC (at CPI).
// - Time and materials: revenue earned is what has been billed (milestones billed); the forecast
//   margin is the contract value (the not-to-exceed amount) − EAC (at CPI).
// - Billed: the milestones billed so far, whatever the billing kind. Margin = revenue − AC.
import { type Dec, HUNDRED, ratio, ZERO } from './decimal.js';
import type { Metrics } from './metrics.js';

export type Billing = 'fixed-price' | 'time-and-materials';

export interface Profitability {
  contractValue: Dec;
  billed: Dec;
  revenue: Dec;
  cost: Dec;
  margin: Dec;
  /** margin / revenue × 100, unrounded; null without revenue. */
  marginPercent: Dec | null;
  forecastCost: Dec | null;
  forecastMargin: Dec | null;
}

export function profitability(billing: Billing, contractValue: Dec, billed: Dec, m: Metrics): Profitability {
  const revenue = billing === 'fixed-price' ? (ratio(contractValue.times(m.ev), m.bac) ?? ZERO) : billed;
  const margin = revenue.minus(m.ac);
  const eac = m.atCpi.eac;
  return {
    contractValue,
    billed,
    revenue,
    cost: m.ac,
    margin,
    marginPercent: ratio(margin.times(HUNDRED), revenue),
    forecastCost: eac,
    forecastMargin: eac === null ? null : contractValue.minus(eac),
  };
}
