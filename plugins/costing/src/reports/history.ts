// The value of stock over time: one point per day, week or month, each the value (and quantity)
// at the end of its period, summed from the costing entries up to that instant — the same figures
// as the valuation report at that date. Periods are cut in UTC, whatever the session's time zone. For the report's "value over time" chart. Without `from`
// it starts at the first entry, or MAX_POINTS periods before `to` when the history is longer.
import type { Json } from '@erp/sdk';
import { type Ctx, refuse } from '../shared/index.js';

export interface HistoryQuery {
  from?: string;
  to?: string;
  interval?: 'day' | 'week' | 'month';
  itemId?: string;
  warehouseId?: string;
}

/** More points than a chart can show: an explicit `from` that asks for more is refused. */
export const MAX_POINTS = 400;

const FILTER = '($2::uuid is null or item_id = $2) and ($3::uuid is null or warehouse_id = $3)';

export async function valuationHistory(ctx: Ctx, q: HistoryQuery) {
  const interval = q.interval ?? 'day';
  const params = [interval, q.itemId ?? null, q.warehouseId ?? null, q.from ?? null, q.to ?? null] as Json[];
  // The periods: from the first entry (or `from`) to now (or `to`), cut at the interval's boundaries.
  const span = await ctx.db.one<{ first: string | null; last: string; points: number }>(
    `with b as (
       select date_trunc($1::text, coalesce($4::timestamptz, greatest(
                (select min(at) from entries where ${FILTER}),
                coalesce($5::timestamptz, now()) - ('1 ' || $1::text)::interval * ${MAX_POINTS - 1})), 'UTC') as first,
              coalesce($5::timestamptz, now()) as last)
     select iso(first) as first, iso(last) as last,
            case when first is null then 0
                 else (select count(*) from generate_series(first, last, ('1 ' || $1::text)::interval))::int end as points
       from b`,
    params,
  );
  if (!span?.first) return { interval, points: [] };
  if (span.points > MAX_POINTS)
    refuse(
      422,
      'COSTING_HISTORY_TOO_LONG',
      'Too many points',
      '/query/interval',
      `the period has ${span.points} ${interval}s; choose a longer interval or a later from (at most ${MAX_POINTS})`,
    );
  const points = await ctx.db.query(
    `select iso(least(g + ('1 ' || $1::text)::interval, $5::timestamptz)) as at,
            trim_scale(coalesce(sum(e.stock), 0))::text as value, trim_scale(coalesce(sum(e.qty), 0))::text as qty
       from generate_series($4::timestamptz, $5::timestamptz, ('1 ' || $1::text)::interval) g
       left join entries e on e.at < g + ('1 ' || $1::text)::interval and e.at <= $5::timestamptz
            and ($2::uuid is null or e.item_id = $2) and ($3::uuid is null or e.warehouse_id = $3)
      group by g order by g`,
    [interval, q.itemId ?? null, q.warehouseId ?? null, span.first, span.last] as Json[],
  );
  return { interval, points };
}
