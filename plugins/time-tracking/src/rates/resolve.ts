// Bill-rate resolution, a pure function: which rate applies to an hour worked by a person, in a
// role, on a project of a client, on a date. A rate names any of four dimensions (person, role,
// project, client; none = the tenant's default) and is in force from its effective date to its
// optional end date, both inclusive. Among the rates in force that match, the most specific wins:
// each named dimension weighs person 8, role 4, project 2, client 1, so a dimension outranks every
// combination of the ones below it (a person's rate beats a role-on-project rate). Equal weight:
// the later effective date wins (a new rate supersedes the one it overlaps). A rate naming a
// dimension the work does not have (a role when the person has none) does not match.
import { type Dec, dec, roundMoney } from '../shared/index.js';

export interface RateRule {
  id: string;
  userId?: string | null;
  role?: string | null;
  projectId?: string | null;
  client?: string | null;
  /** Price of one hour, decimal string. */
  rate: string;
  currency: string;
  /** First day in force (YYYY-MM-DD), required. */
  effectiveFrom: string;
  /** Last day in force, inclusive; null = open-ended. */
  effectiveTo?: string | null;
}

export interface WorkContext {
  workDate: string;
  userId: string;
  role?: string | null;
  projectId: string;
  client?: string | null;
}

export interface ResolvedRate {
  rule: RateRule;
  specificity: number;
  /** The dimensions the winning rate matched on, most specific first. */
  matchedOn: Array<'person' | 'role' | 'project' | 'client'>;
}

const WEIGHTS = [
  ['userId', 8, 'person'],
  ['role', 4, 'role'],
  ['projectId', 2, 'project'],
  ['client', 1, 'client'],
] as const;

export function specificity(rule: RateRule): number {
  let s = 0;
  for (const [key, weight] of WEIGHTS) if (rule[key] != null) s += weight;
  return s;
}

export function inForce(rule: RateRule, date: string): boolean {
  return rule.effectiveFrom <= date && (rule.effectiveTo == null || date <= rule.effectiveTo);
}

export function matches(rule: RateRule, work: WorkContext): boolean {
  for (const [key] of WEIGHTS) {
    const wanted = rule[key];
    if (wanted != null && wanted !== work[key]) return false;
  }
  return true;
}

/** The rate that applies to the work, or null when none is in force. */
export function resolveRate(rules: readonly RateRule[], work: WorkContext): ResolvedRate | null {
  let best: RateRule | undefined;
  let bestScore = -1;
  for (const rule of rules) {
    if (!inForce(rule, work.workDate) || !matches(rule, work)) continue;
    const score = specificity(rule);
    const better =
      score > bestScore ||
      (score === bestScore &&
        best !== undefined &&
        (rule.effectiveFrom > best.effectiveFrom ||
          // Same weight, same day: only possible outside the routes (which refuse it); the id decides.
          (rule.effectiveFrom === best.effectiveFrom && rule.id > best.id)));
    if (better) {
      best = rule;
      bestScore = score;
    }
  }
  if (!best) return null;
  return {
    rule: best,
    specificity: bestScore,
    matchedOn: WEIGHTS.filter(([key]) => best[key] != null).map(([, , name]) => name),
  };
}

/** hours × rate, unrounded. */
export function billValue(hours: string, rate: string): Dec {
  return dec(hours).times(dec(rate));
}

/** hours × rate rounded half-up to the currency's minor unit (the edge: what is shown and billed). */
export function billAmount(hours: string, rate: string, currencyDecimals = 2): string {
  return roundMoney(billValue(hours, rate), currencyDecimals);
}
