// Near-identical names and codes. Names are normalised (Unicode compatibility form, accents and
// punctuation removed, lower case, legal-form words such as "Ltd" or "GmbH" dropped, tokens
// sorted so word order does not matter) and compared two ways: Jaro-Winkler (@skyra/jaro-winkler;
// good at typos and shared prefixes) and the Dice coefficient of character trigrams (n-gram; good
// at inserted or missing words). Their mean is the score: each alone has its blind spot —
// Jaro-Winkler rates "acme bolts" and "acme nuts" 0.9, trigrams punish one typo in a short word.
import { jaroWinkler } from '@skyra/jaro-winkler';
import { trigram } from 'n-gram';

const LEGAL = new Set([
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'llc',
  'llp',
  'plc',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'aps',
  'pty',
  'the',
]);

export function normaliseName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !LEGAL.has(w));
  return words.sort().join(' ');
}

/** Codes compared without case, separators or leading zeros of numbers: "SKU-0042" = "sku42". */
export function normaliseCode(code: string): string {
  return code
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .replace(/(^|\D)0+(\d)/g, '$1$2');
}

export function trigramDice(a: string, b: string): number {
  if (!a.length || !b.length) return a === b ? 1 : 0;
  const ta = trigram(` ${a} `);
  const tb = trigram(` ${b} `);
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(t, c - 1);
    }
  }
  return (2 * shared) / (ta.length + tb.length);
}

/** Similarity in [0, 1] of two normalised names. */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return (jaroWinkler(a, b) + trigramDice(a, b)) / 2;
}
