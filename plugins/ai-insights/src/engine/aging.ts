// Stock aging and dead stock. Age is counted the way stock is consumed first in, first out: what
// is on hand is the most recent receipts, so the on-hand quantity is matched against receipts from
// the newest back. Dead stock: something on hand and nothing issued for `deadAfterDays`.
// Quantities are decimal strings, matched exactly; only the average age (days) is a float.
import { type Dec, decOr0, show, ZERO } from './decimal.js';

export interface Receipt {
  at: string;
  /** A decimal string. */
  qty: string;
}

export interface AgingBucket {
  label: string;
  /** Inclusive lower bound and exclusive upper bound in days. */
  fromDays: number;
  toDays: number | null;
  /** A decimal string. */
  qty: string;
}

export const DEFAULT_BUCKETS = [30, 90, 180, 365];

export function stockAging(
  onHand: string,
  receipts: readonly Receipt[],
  asOf: string,
  bounds: readonly number[] = DEFAULT_BUCKETS,
): { buckets: AgingBucket[]; averageAgeDays: number | null } {
  const now = Date.parse(asOf);
  const froms = [0, ...bounds];
  const qty: Dec[] = froms.map(() => ZERO);
  const held = decOr0(onHand);
  let left = held.gt(ZERO) ? held : ZERO;
  let weighted = 0;
  const newestFirst = [...receipts].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  for (const r of newestFirst) {
    if (!left.gt(ZERO)) break;
    const rq = decOr0(r.qty);
    const take = left.lt(rq) ? left : rq;
    const age = Math.max(0, Math.floor((now - Date.parse(r.at)) / 86_400_000));
    const i = froms.findLastIndex((from) => age >= from);
    qty[i] = qty[i]!.plus(take);
    weighted += take.toNumber() * age;
    left = left.minus(take);
  }
  // On hand with no receipt to explain it (opening balance, counts): the oldest bucket.
  if (left.gt(ZERO)) qty[qty.length - 1] = qty[qty.length - 1]!.plus(left);
  const dated = held.gt(ZERO) ? held.minus(left).toNumber() : 0;
  const buckets: AgingBucket[] = froms.map((from, i) => ({
    label: bounds[i] === undefined ? `${from}+ days` : `${from}–${bounds[i]! - 1} days`,
    fromDays: from,
    toDays: bounds[i] ?? null,
    qty: show(qty[i]!, 40),
  }));
  return { buckets, averageAgeDays: dated > 0 ? weighted / dated : null };
}

export interface DeadStockInput {
  itemId: string;
  warehouseId: string;
  /** A decimal string. */
  onHand: string;
  lastIssueAt: string | null;
}

export function deadStock(rows: readonly DeadStockInput[], asOf: string, deadAfterDays = 180) {
  const now = Date.parse(asOf);
  return rows
    .filter((r) => decOr0(r.onHand).gt(ZERO))
    .map((r) => ({
      ...r,
      daysSinceIssue:
        r.lastIssueAt === null ? null : Math.floor((now - Date.parse(r.lastIssueAt)) / 86_400_000),
    }))
    .filter((r) => r.daysSinceIssue === null || r.daysSinceIssue >= deadAfterDays);
}
