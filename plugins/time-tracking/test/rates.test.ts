// The bill-rate library: the most specific rate in force wins; overlapping effective dates are
// settled by specificity, then by the later start; money is rounded half-up only at the edge.
import { describe, expect, it } from 'vitest';
import { billAmount, type RateRule, resolveRate, specificity } from '../src/index.js';

const ANA = '00000000-0000-4000-8000-00000000000a';
const BEN = '00000000-0000-4000-8000-00000000000b';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';

const rule = (id: string, r: Partial<RateRule>): RateRule => ({
  id,
  rate: '100',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  ...r,
});

const RULES: RateRule[] = [
  rule('default', { rate: '80' }),
  rule('client-acme', { client: 'Acme', rate: '90' }),
  rule('project-1', { projectId: P1, rate: '95' }),
  rule('senior', { role: 'senior', rate: '120' }),
  rule('senior-on-p1', { role: 'senior', projectId: P1, rate: '130' }),
  rule('ana', { userId: ANA, rate: '150' }),
  // A raise for the senior role from 1 April overlaps the open-ended senior rate.
  rule('senior-april', { role: 'senior', rate: '125', effectiveFrom: '2026-04-01' }),
  // Ana on project 2 for the summer only.
  rule('ana-p2-summer', {
    userId: ANA,
    projectId: P2,
    rate: '160',
    effectiveFrom: '2026-06-01',
    effectiveTo: '2026-08-31',
  }),
];

const work = (over: object) => ({
  workDate: '2026-03-10',
  userId: BEN,
  projectId: P2,
  role: null,
  client: null,
  ...over,
});

describe('resolveRate', () => {
  it('falls back to the tenant default when nothing more specific matches', () => {
    expect(resolveRate(RULES, work({}))?.rule.id).toBe('default');
  });

  it('prefers client < project < role < role on project < person < person on project', () => {
    expect(resolveRate(RULES, work({ client: 'Acme' }))?.rule.id).toBe('client-acme');
    expect(resolveRate(RULES, work({ client: 'Acme', projectId: P1 }))?.rule.id).toBe('project-1');
    expect(resolveRate(RULES, work({ client: 'Acme', projectId: P1, role: 'senior' }))?.rule.id).toBe(
      'senior-on-p1',
    );
    expect(resolveRate(RULES, work({ projectId: P2, role: 'senior' }))?.rule.id).toBe('senior');
    expect(resolveRate(RULES, work({ userId: ANA, role: 'senior', projectId: P1 }))?.rule.id).toBe('ana');
    expect(resolveRate(RULES, work({ userId: ANA, projectId: P2, workDate: '2026-07-01' }))).toMatchObject({
      rule: { id: 'ana-p2-summer' },
      specificity: 10,
      matchedOn: ['person', 'project'],
    });
    expect(specificity(RULES[5]!)).toBeGreaterThan(specificity(RULES[4]!)); // person beats role + project + client
  });

  it('settles overlapping effective dates: same weight, the later start wins from its first day', () => {
    const senior = (workDate: string) => resolveRate(RULES, work({ role: 'senior', workDate }))?.rule.id;
    expect(senior('2026-03-31')).toBe('senior');
    expect(senior('2026-04-01')).toBe('senior-april');
    expect(senior('2026-12-31')).toBe('senior-april');
    // The role-on-project rate (weight 6) still beats the newer role rate (weight 4).
    expect(resolveRate(RULES, work({ role: 'senior', projectId: P1, workDate: '2026-05-01' }))?.rule.id).toBe(
      'senior-on-p1',
    );
  });

  it('respects both ends of the effective period, inclusive', () => {
    const ana = (workDate: string) =>
      resolveRate(RULES, work({ userId: ANA, projectId: P2, workDate }))?.rule.id;
    expect(ana('2026-05-31')).toBe('ana');
    expect(ana('2026-06-01')).toBe('ana-p2-summer');
    expect(ana('2026-08-31')).toBe('ana-p2-summer');
    expect(ana('2026-09-01')).toBe('ana');
  });

  it('gives no rate before any is in force, and does not match a dimension the work lacks', () => {
    expect(resolveRate(RULES, work({ workDate: '2025-12-31' }))).toBeNull();
    expect(resolveRate([rule('senior', { role: 'senior' })], work({ role: null }))).toBeNull();
  });

  it('is independent of the order of the rules', () => {
    const shuffled = [...RULES].reverse();
    for (const w of [
      work({ role: 'senior', workDate: '2026-05-01' }),
      work({ userId: ANA, projectId: P2, workDate: '2026-07-01' }),
    ])
      expect(resolveRate(shuffled, w)?.rule.id).toBe(resolveRate(RULES, w)?.rule.id);
  });
});

describe('billAmount', () => {
  it('multiplies exactly and rounds half-up to the minor unit only at the end', () => {
    expect(billAmount('7.5', '120')).toBe('900.00');
    expect(billAmount('0.3333', '150')).toBe('50.00'); // 49.995 → 50.00 (half-up)
    expect(billAmount('0.1', '0.05')).toBe('0.01'); // 0.005 → 0.01
    expect(billAmount('-0.1', '0.05')).toBe('-0.01'); // a reversal mirrors its entry (ties away from zero)
    expect(billAmount('1.0005', '1000', 0)).toBe('1001'); // 1000.5 in a currency without decimals
    expect(billAmount('2.25', '99.99', 3)).toBe('224.978');
  });
});
