// Duplicate records: master data (items, partners) with near-identical names or equal codes, and
// transactions with the same party and amount within a few days. Each pair comes with its score,
// the reasons, and a merge suggestion (keep the older record); nothing is ever merged here.
// Pairs are found through a trigram index (blocking), so only names sharing several trigrams are
// compared: quadratic comparison of every pair would not scale to a catalogue.
import { trigram } from 'n-gram';
import { nameSimilarity, normaliseCode, normaliseName } from './similarity.js';

export interface MasterRecord {
  id: string;
  name: string;
  code?: string | null;
  /** Used to suggest which record to keep (the older one); ISO 8601. */
  createdAt?: string | null;
}

export interface DuplicatePair {
  a: string;
  b: string;
  score: number;
  reasons: string[];
  suggestion: { keep: string; merge: string; note: string };
}

function suggest(a: MasterRecord, b: MasterRecord) {
  const aFirst = (a.createdAt ?? '') <= (b.createdAt ?? '');
  const [keep, merge] = aFirst ? [a, b] : [b, a];
  return { keep: keep.id, merge: merge.id, note: `merge ${merge.id} into the older ${keep.id} after review` };
}

export function findDuplicateRecords(
  records: readonly MasterRecord[],
  opts: { threshold?: number } = {},
): DuplicatePair[] {
  const threshold = opts.threshold ?? 0.88;
  const names = records.map((r) => normaliseName(r.name));
  const codes = records.map((r) => (r.code ? normaliseCode(r.code) : null));
  const candidates = new Map<string, [number, number]>();
  const add = (i: number, j: number) => {
    const [x, y] = i < j ? [i, j] : [j, i];
    candidates.set(`${x}/${y}`, [x, y]);
  };
  const byCode = new Map<string, number[]>();
  codes.forEach((c, i) => {
    if (c) byCode.set(c, [...(byCode.get(c) ?? []), i]);
  });
  for (const list of byCode.values())
    for (let i = 1; i < list.length; i++) for (let j = 0; j < i; j++) add(list[j]!, list[i]!);
  // Blocking: a trigram shared by too many names (e.g. " th") says nothing; skip those.
  const index = new Map<string, number[]>();
  names.forEach((n, i) => {
    for (const t of new Set(trigram(` ${n} `))) index.set(t, [...(index.get(t) ?? []), i]);
  });
  const shared = new Map<string, number>();
  const limit = Math.max(50, Math.sqrt(records.length) * 4);
  for (const list of index.values()) {
    if (list.length > limit) continue;
    for (let i = 1; i < list.length; i++)
      for (let j = 0; j < i; j++) {
        const key = `${list[j]}/${list[i]}`;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
  }
  for (const [key, count] of shared) {
    if (count < 3) continue;
    const [x, y] = key.split('/').map(Number) as [number, number];
    add(x, y);
  }
  const out: DuplicatePair[] = [];
  for (const [x, y] of candidates.values()) {
    const a = records[x]!;
    const b = records[y]!;
    const reasons: string[] = [];
    const sim = nameSimilarity(names[x]!, names[y]!);
    const sameCode = codes[x] !== null && codes[x] === codes[y];
    if (sameCode) reasons.push(`same code (${a.code} / ${b.code})`);
    if (sim >= threshold) reasons.push(`names ${Math.round(sim * 100)}% similar ("${a.name}" / "${b.name}")`);
    if (!reasons.length) continue;
    const score = sameCode ? Math.max(sim, 0.95) : sim;
    out.push({ a: a.id, b: b.id, score, reasons, suggestion: suggest(a, b) });
  }
  return out.sort((p, q) => q.score - p.score || p.a.localeCompare(q.a));
}

export interface TransactionRecord {
  id: string;
  party: string;
  /** A decimal string: amounts are compared exactly, never as floats. */
  amount: string;
  /** ISO 8601 date or date-time. */
  date: string;
}

/** Trailing zeros and sign of zero do not make amounts differ: "12.50" = "12.5". */
const canonicalAmount = (a: string) => {
  const [int, frac = ''] = a.trim().replace(/^\+/, '').split('.');
  const f = frac.replace(/0+$/, '');
  const i = (int ?? '0').replace(/^(-?)0+(?=\d)/, '$1');
  return f ? `${i}.${f}` : i;
};

export function findDuplicateTransactions(
  records: readonly TransactionRecord[],
  opts: { windowDays?: number } = {},
): DuplicatePair[] {
  const window = opts.windowDays ?? 3;
  const groups = new Map<string, TransactionRecord[]>();
  for (const r of records) {
    const key = `${normaliseName(r.party)}|${canonicalAmount(r.amount)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: DuplicatePair[] = [];
  for (const list of groups.values()) {
    list.sort((p, q) => Date.parse(p.date) - Date.parse(q.date));
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const days = (Date.parse(list[j]!.date) - Date.parse(list[i]!.date)) / 86_400_000;
        if (days > window) break;
        const a = list[i]!;
        const b = list[j]!;
        out.push({
          a: a.id,
          b: b.id,
          score: 1 - days / (window + 1),
          reasons: [`same party and amount ${a.amount}`, `${Math.round(days * 10) / 10} days apart`],
          suggestion: {
            keep: a.id,
            merge: b.id,
            note: `check whether ${b.id} repeats ${a.id}; cancel it if so`,
          },
        });
      }
  }
  return out.sort((p, q) => q.score - p.score || p.a.localeCompare(q.a));
}
