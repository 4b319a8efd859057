// Planted anomalies and duplicates in seeded synthetic data: what is found is compared with what
// was planted, and precision and recall are printed.
import { describe, expect, it } from 'vitest';
import {
  detectAnomalies,
  type Feedback,
  findDuplicateRecords,
  findDuplicateTransactions,
  type MasterRecord,
  type ObservedRecord,
  type TransactionRecord,
} from '../../src/engine/index.js';
import { normal, rng } from '../support/synthetic.js';

function pr(found: Set<string>, planted: Set<string>) {
  const tp = [...found].filter((f) => planted.has(f)).length;
  return { precision: found.size ? tp / found.size : 1, recall: planted.size ? tp / planted.size : 1, tp };
}

describe('anomalies (median/MAD modified z-scores)', () => {
  const u = rng(7);
  const z = normal(rng(8));
  const records: ObservedRecord[] = [];
  const planted = new Set<string>();
  for (let item = 0; item < 60; item++) {
    const cost = 5 + u() * 100;
    const qty = 5 + u() * 50;
    for (let k = 0; k < 50; k++) {
      const id = `i${item}-r${k}`;
      let unitCost = cost * (1 + 0.04 * z());
      let quantity = Math.max(1, Math.round(qty * (1 + 0.25 * z())));
      if (u() < 0.02) {
        planted.add(id);
        const kind = u();
        if (kind < 0.4) unitCost *= u() < 0.5 ? 3 + u() * 7 : 0.1 + u() * 0.15;
        else if (kind < 0.8) quantity *= 10 + Math.round(u() * 40);
        else unitCost *= 1.6 + u();
      }
      // Money and quantities reach the engine as decimal strings, as they come from the events.
      records.push({
        id,
        group: `item-${item}`,
        features: { unitCost: unitCost.toFixed(4), qty: String(quantity) },
      });
    }
  }

  it('finds planted unusual costs and quantities with their features, scores and medians', () => {
    const found = detectAnomalies(records);
    const { precision, recall } = pr(new Set(found.map((a) => a.id)), planted);
    console.log(
      `anomalies: ${planted.size} planted in ${records.length} receipts; flagged ${found.length}; precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}%`,
    );
    expect(precision).toBeGreaterThan(0.85);
    expect(recall).toBeGreaterThan(0.85);
    const top = found[0]!;
    expect(top.unusual[0]).toMatchObject({
      feature: expect.any(String),
      value: expect.stringMatching(/^-?\d+(\.\d+)?$/),
      median: expect.stringMatching(/^\d+(\.\d+)?$/),
      mad: expect.stringMatching(/^\d+(\.\d+)?$/),
    });
    expect(top.score).toBe(Math.abs(top.unusual[0]!.z));
    expect(top.explanation).toContain(`expected about ${top.unusual[0]!.median}`);
  });

  it('finds planted unusual sale prices (discounts far below, mark-ups far above) per item', () => {
    const pu = rng(21);
    const pz = normal(rng(22));
    const sales: ObservedRecord[] = [];
    const odd = new Set<string>();
    for (let item = 0; item < 40; item++) {
      // Prices on a list with small negotiated discounts, in cents.
      const list = 10 + Math.round(pu() * 20_000) / 100;
      for (let k = 0; k < 40; k++) {
        const id = `p${item}-s${k}`;
        let price = list * (1 - Math.abs(0.03 * pz()));
        if (pu() < 0.03) {
          odd.add(id);
          price *= pu() < 0.7 ? 0.2 + pu() * 0.4 : 1.8 + pu();
        }
        sales.push({ id, group: `item-${item}`, features: { unitPrice: price.toFixed(2) } });
      }
    }
    const found = detectAnomalies(sales, { labels: { unitPrice: 'unit price' } });
    const { precision, recall } = pr(new Set(found.map((a) => a.id)), odd);
    console.log(
      `price anomalies: ${odd.size} planted in ${sales.length} sales; flagged ${found.length}; precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}%`,
    );
    expect(precision).toBeGreaterThan(0.85);
    expect(recall).toBeGreaterThan(0.85);
  });

  it('explains in words with exact decimals: what was expected, what was seen, how far off', () => {
    const prices = ['12.00', '12.10', '11.90', '12.00', '12.05', '11.95', '12.00', '12.20', '11.80', '4.50'];
    const rows = prices.map((p, i) => ({ id: `s${i}`, group: 'bolt', features: { unitPrice: p } }));
    const [a, ...rest] = detectAnomalies(rows, { labels: { unitPrice: 'unit price' } });
    expect(rest).toEqual([]);
    expect(a!.id).toBe('s9');
    // Median of ten: (12.00 + 12.00) / 2; MAD: the median of |x − 12| = 0.075 exactly.
    expect(a!.unusual[0]).toMatchObject({
      value: '4.5',
      median: '12',
      mad: '0.075',
      deviation: '-7.5',
      count: 10,
    });
    expect(a!.unusual[0]!.z).toBeCloseTo((0.6745 * -7.5) / 0.075, 9);
    expect(a!.explanation).toBe(
      'unit price 4.5, expected about 12 (median of 10, typical spread ±0.075): 7.5 below (62.5 % below), score 67.5 against a threshold of 3.5',
    );
  });

  it('uses feedback: dismissed records are not flagged again and widen their feature’s threshold', () => {
    const found = detectAnomalies(records);
    const victim = found.find((a) => a.unusual[0]!.feature === 'qty')!;
    const feedback = new Map<string, Feedback>([[victim.id, 'dismissed']]);
    const after = detectAnomalies(records, { feedback });
    expect(after.map((a) => a.id)).not.toContain(victim.id);
    const flaggedQty = after.find(
      (a) => a.group === victim.group && a.unusual.some((s) => s.feature === 'qty'),
    );
    if (flaggedQty)
      expect(Math.abs(flaggedQty.unusual.find((s) => s.feature === 'qty')!.z)).toBeGreaterThan(victim.score);
    // Confirmed anomalies leave the baseline: the group's median and MAD no longer include them.
    const confirmed = new Map<string, Feedback>(found.map((a) => [a.id, 'confirmed']));
    const still = detectAnomalies(records, { feedback: confirmed });
    expect(still.map((a) => a.id)).toEqual(expect.arrayContaining(found.map((a) => a.id)));
  });
});

const WORDS = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'stark',
  'wayne',
  'wonka',
  'tyrell',
  'cyberdyne',
  'soylent',
  'hooli',
  'vandelay',
  'pied',
  'piper',
  'dunder',
  'mifflin',
  'nakatomi',
  'oscorp',
  'gringotts',
  'monarch',
  'northern',
  'southern',
  'eastern',
  'western',
  'central',
  'pacific',
  'atlantic',
  'global',
  'united',
  'royal',
];
const KINDS = [
  'trading',
  'supplies',
  'logistics',
  'foods',
  'metals',
  'plastics',
  'tools',
  'electric',
  'textiles',
  'paper',
];
const FORMS = ['Ltd', 'GmbH', 'Inc', 'S.A.', 'B.V.', 'LLC', ''];

function typo(s: string, u: () => number): string {
  const i = 1 + Math.floor(u() * (s.length - 2));
  const k = u();
  if (k < 0.33) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // swap
  if (k < 0.66) return s.slice(0, i) + s.slice(i + 1); // drop
  return s.slice(0, i) + s[i] + s.slice(i); // double
}

describe('duplicates', () => {
  it('finds near-identical partner names and equal codes, and leaves distinct names alone', () => {
    const u = rng(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(u() * xs.length)]!;
    const records: MasterRecord[] = [];
    const seen = new Set<string>();
    while (records.length < 400) {
      const [w1, w2] = [pick(WORDS), pick(WORDS)].sort();
      // Distinct companies: different word sets (word order alone would be the same company).
      const base = `${w1} ${w2} ${pick(KINDS)}`;
      if (w1 === w2 || seen.has(base)) continue;
      seen.add(base);
      const name = `${base.replace(/\b\w/g, (c) => c.toUpperCase())} ${pick(FORMS)}`.trim();
      records.push({
        id: `p${records.length}`,
        name,
        code: `P-${String(records.length).padStart(5, '0')}`,
        createdAt: '2024-01-01',
      });
    }
    const planted = new Set<string>();
    for (let k = 0; k < 50; k++) {
      const original = records[Math.floor(u() * 400)]!;
      const id = `dup${k}`;
      const v = u();
      const name =
        v < 0.3
          ? typo(original.name, u)
          : v < 0.5
            ? original.name.toUpperCase().replace(/ (LTD|GMBH|INC|LLC|S\.A\.|B\.V\.)$/, ' Limited')
            : v < 0.7
              ? original.name.split(' ').reverse().join(', ')
              : v < 0.85
                ? original.name.replace(/e/, 'é').replace(/ /, '-')
                : `${original.name}.`;
      const code = u() < 0.2 ? original.code!.toLowerCase().replace('-', '') : `N-${k}`;
      records.push({ id, name, code, createdAt: '2025-06-01' });
      planted.add([original.id, id].sort().join('|'));
    }
    // Two copies of one original are duplicates of each other too.
    const origin = new Map<string, string>();
    for (const key of planted) {
      const [x, y] = key.split('|') as [string, string];
      const [orig, dup] = x.startsWith('p') ? [x, y] : [y, x];
      origin.set(dup, orig);
    }
    const root = (id: string) => origin.get(id) ?? id;
    for (const d1 of origin.keys())
      for (const d2 of origin.keys())
        if (d1 < d2 && root(d1) === root(d2)) planted.add([d1, d2].sort().join('|'));
    const pairs = findDuplicateRecords(records);
    const found = new Set(pairs.map((p) => [p.a, p.b].sort().join('|')));
    const byId = new Map(records.map((r) => [r.id, r.name]));
    for (const f of found)
      if (!planted.has(f))
        console.log(
          'found, not planted:',
          f.split('|').map((i) => byId.get(i)),
        );
    const { precision, recall } = pr(found, planted);
    console.log(
      `duplicate partners: 50 planted among ${records.length} names; ${pairs.length} pairs found; precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}%`,
    );
    expect(precision).toBeGreaterThan(0.85);
    expect(recall).toBeGreaterThan(0.85);
    const one = pairs.find(
      (p) => p.a.startsWith('p') !== p.b.startsWith('p') && planted.has([p.a, p.b].sort().join('|')),
    )!;
    expect(one.suggestion.keep.startsWith('p')).toBe(true);
    expect(one.reasons.join(' ')).toMatch(/similar|same code/);
  });

  it('finds repeated transactions (same party and amount within the window), not monthly repeats', () => {
    const u = rng(21);
    const parties = Array.from(
      { length: 40 },
      (_, i) => `${WORDS[i % WORDS.length]} ${KINDS[i % KINDS.length]}`,
    );
    const tx: TransactionRecord[] = [];
    const start = Date.parse('2025-01-01');
    for (let i = 0; i < 600; i++) {
      const amount = (Math.round(u() * 500000) / 100).toFixed(2);
      tx.push({
        id: `t${i}`,
        party: parties[Math.floor(u() * 40)]!,
        amount,
        date: new Date(start + Math.floor(u() * 365) * 86_400_000).toISOString().slice(0, 10),
      });
    }
    // A subscription: same party and amount every month, not a duplicate.
    for (let m = 0; m < 12; m++)
      tx.push({
        id: `sub${m}`,
        party: parties[0]!,
        amount: '99.00',
        date: `2025-${String(m + 1).padStart(2, '0')}-05`,
      });
    const planted = new Set<string>();
    for (let k = 0; k < 30; k++) {
      const o = tx[Math.floor(u() * 600)]!;
      const id = `d${k}`;
      tx.push({
        id,
        party: o.party.toUpperCase(),
        amount: o.amount.replace(/0$/, ''),
        date: new Date(Date.parse(o.date) + Math.floor(u() * 3) * 86_400_000).toISOString().slice(0, 10),
      });
      planted.add([o.id, id].sort().join('|'));
    }
    const pairs = findDuplicateTransactions(tx, { windowDays: 3 });
    const found = new Set(pairs.map((p) => [p.a, p.b].sort().join('|')));
    const { precision, recall } = pr(found, planted);
    console.log(
      `duplicate transactions: 30 planted among ${tx.length}; ${pairs.length} pairs found; precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}%`,
    );
    expect(recall).toBe(1);
    expect(precision).toBeGreaterThan(0.9);
    expect([...found].some((f) => f.includes('sub'))).toBe(false);
  });
});
