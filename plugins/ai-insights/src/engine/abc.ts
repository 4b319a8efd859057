// ABC classification (Pareto): items ranked by usage value (quantity × unit cost over the
// window), A the items making up the first 80% of the value, B the next 15%, C the rest. An item
// that crosses a boundary belongs to the class where its value starts. Values are decimal strings
// (money); the shares are ratios, floats.
import { type Dec, dec, decOr0, show, ZERO } from './decimal.js';

export interface UsageRecord {
  itemId: string;
  /** Usage value over the window (e.g. Σ issued qty × unit cost), a decimal string. */
  value: string;
}

export interface AbcRow extends UsageRecord {
  class: 'A' | 'B' | 'C';
  share: number;
  cumulativeShare: number;
}

export function abcClassify(usage: readonly UsageRecord[], cut: { a?: number; b?: number } = {}): AbcRow[] {
  const a = cut.a ?? 0.8;
  const b = cut.b ?? 0.95;
  const positive = (v: Dec) => (v.gt(ZERO) ? v : ZERO);
  const values = new Map(usage.map((u) => [u, decOr0(u.value)]));
  const total = usage.reduce((s, u) => s.plus(positive(values.get(u)!)), ZERO);
  const [aCut, bCut] = [total.times(dec(String(a))), total.times(dec(String(b)))];
  const ranked = [...usage].sort(
    (x, y) => values.get(y)!.cmp(values.get(x)!) || x.itemId.localeCompare(y.itemId),
  );
  let before = ZERO;
  return ranked.map((u) => {
    const v = positive(values.get(u)!);
    const cls = total.gt(ZERO) && before.lt(aCut) ? 'A' : total.gt(ZERO) && before.lt(bCut) ? 'B' : 'C';
    before = before.plus(v);
    const share = total.gt(ZERO) ? v.div(total).toNumber() : 0;
    const cumulativeShare = total.gt(ZERO) ? before.div(total).toNumber() : 0;
    return { ...u, value: show(values.get(u)!, 40), class: cls, share, cumulativeShare };
  });
}
