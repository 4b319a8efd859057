// ABC classification (Pareto): items ranked by usage value (quantity × unit cost over the
// window), A the items making up the first 80% of the value, B the next 15%, C the rest. An item
// that crosses a boundary belongs to the class where its value starts.

export interface UsageRecord {
  itemId: string;
  /** Usage value over the window (e.g. Σ issued qty × unit cost). */
  value: number;
}

export interface AbcRow extends UsageRecord {
  class: 'A' | 'B' | 'C';
  share: number;
  cumulativeShare: number;
}

export function abcClassify(usage: readonly UsageRecord[], cut: { a?: number; b?: number } = {}): AbcRow[] {
  const a = cut.a ?? 0.8;
  const b = cut.b ?? 0.95;
  const total = usage.reduce((s, u) => s + Math.max(0, u.value), 0);
  const ranked = [...usage].sort((x, y) => y.value - x.value || x.itemId.localeCompare(y.itemId));
  let before = 0;
  return ranked.map((u) => {
    const share = total > 0 ? Math.max(0, u.value) / total : 0;
    const cls = total > 0 && before < a ? 'A' : total > 0 && before < b ? 'B' : 'C';
    before += share;
    return { ...u, class: cls, share, cumulativeShare: before };
  });
}
