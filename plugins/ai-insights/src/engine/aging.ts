// Stock aging and dead stock. Age is counted the way stock is consumed first in, first out: what
// is on hand is the most recent receipts, so the on-hand quantity is matched against receipts from
// the newest back. Dead stock: something on hand and nothing issued for `deadAfterDays`.

export interface Receipt {
  at: string;
  qty: number;
}

export interface AgingBucket {
  label: string;
  /** Inclusive lower bound and exclusive upper bound in days. */
  fromDays: number;
  toDays: number | null;
  qty: number;
}

export const DEFAULT_BUCKETS = [30, 90, 180, 365];

export function stockAging(
  onHand: number,
  receipts: readonly Receipt[],
  asOf: string,
  bounds: readonly number[] = DEFAULT_BUCKETS,
): { buckets: AgingBucket[]; averageAgeDays: number | null } {
  const now = Date.parse(asOf);
  const buckets: AgingBucket[] = [0, ...bounds].map((from, i) => ({
    label: bounds[i] === undefined ? `${from}+ days` : `${from}–${bounds[i]! - 1} days`,
    fromDays: from,
    toDays: bounds[i] ?? null,
    qty: 0,
  }));
  let left = Math.max(0, onHand);
  let weighted = 0;
  const newestFirst = [...receipts].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  for (const r of newestFirst) {
    if (left <= 0) break;
    const take = Math.min(left, r.qty);
    const age = Math.max(0, Math.floor((now - Date.parse(r.at)) / 86_400_000));
    const bucket = buckets.findLast((b) => age >= b.fromDays)!;
    bucket.qty += take;
    weighted += take * age;
    left -= take;
  }
  // On hand with no receipt to explain it (opening balance, counts): the oldest bucket.
  if (left > 0) buckets[buckets.length - 1]!.qty += left;
  const dated = Math.max(0, onHand) - left;
  return { buckets, averageAgeDays: dated > 0 ? weighted / dated : null };
}

export interface DeadStockInput {
  itemId: string;
  warehouseId: string;
  onHand: number;
  lastIssueAt: string | null;
}

export function deadStock(rows: readonly DeadStockInput[], asOf: string, deadAfterDays = 180) {
  const now = Date.parse(asOf);
  return rows
    .filter((r) => r.onHand > 0)
    .map((r) => ({
      ...r,
      daysSinceIssue:
        r.lastIssueAt === null ? null : Math.floor((now - Date.parse(r.lastIssueAt)) / 86_400_000),
    }))
    .filter((r) => r.daysSinceIssue === null || r.daysSinceIssue >= deadAfterDays);
}
