// The delivery rule: an issue (not a return to the vendor) may not take a lot that has expired, or
// is past its removal date (the last day to sell, Odoo's removal date), on the issue's own day, as
// lots-serials' rules say (expired from the expiration date on, removal from the removal date on).
// Checked in the issue's transaction against warehouses' own copy of the dates (dates.ts).

import { PluginProblem } from '@erp/sdk';
import type { MoveSpec } from '../ledger/index.js';
import type { Ctx } from '../shared/index.js';

export interface ExpiredLine {
  /** JSON pointer of the line's lot: /body/lines/<i>/lot. */
  field: string;
  line: number;
  itemId: string;
  sku: string;
  lot: string;
  status: 'expired' | 'removal';
  expiresOn: string | null;
  removalOn: string | null;
  /** The day (UTC) the lot is judged on. */
  on: string;
}

/** The issue lines whose lot may not be delivered on `at`, in line order. */
export async function expiredLines(ctx: Ctx, specs: readonly MoveSpec[], at: string): Promise<ExpiredLine[]> {
  const picked = specs.map((s, line) => ({ s, line })).filter(({ s }) => s.kind === 'issue' && s.lot);
  if (picked.length === 0) return [];
  const rows = await ctx.db.query<Omit<ExpiredLine, 'field'>>(
    `select x.line, x.item_id as "itemId", i.sku, x.lot, day::text as on,
            coalesce(d.expires_on, r.lot_expires_on)::text as "expiresOn", d.removal_on::text as "removalOn",
            case when coalesce(d.expires_on, r.lot_expires_on) <= day then 'expired' else 'removal' end as status
       from unnest($1::int[], $2::uuid[], $3::text[]) as x(line, item_id, lot)
       cross join lateral (select ($4::timestamptz at time zone 'UTC')::date as day) t
       join items i on i.id = x.item_id
       left join lot_dates d on d.item_id = x.item_id and d.lot = x.lot
       left join lateral (select m.lot_expires_on from moves m
                           where m.item_id = x.item_id and m.lot = x.lot and m.lot_expires_on is not null
                           order by m.seq limit 1) r on true
      where coalesce(d.expires_on, r.lot_expires_on) <= day or d.removal_on <= day
      order by x.line`,
    [picked.map((p) => p.line), picked.map((p) => p.s.itemId), picked.map((p) => p.s.lot!), at],
  );
  return rows.map((r) => ({ ...r, field: `/body/lines/${r.line}/lot` }));
}

const said = (e: ExpiredLine) =>
  e.status === 'expired'
    ? `lot ${e.lot} of ${e.sku} (line ${e.line + 1}) expired on ${e.expiresOn}`
    : `lot ${e.lot} of ${e.sku} (line ${e.line + 1}) was due for removal on ${e.removalOn}`;

/** Refuses the issue, naming every line whose lot may not go (an expired one decides the code). */
export function refuseExpired(lines: readonly ExpiredLine[]): never {
  const expired = lines.some((e) => e.status === 'expired');
  throw new PluginProblem(
    409,
    expired ? 'WAREHOUSES_LOT_EXPIRED' : 'WAREHOUSES_LOT_PAST_REMOVAL',
    expired ? 'Expired lot' : 'Lot past its removal date',
    `${lines.map(said).join('; ')}: post it through /issues/expired-override with a reason, if you hold warehouses.lots.expired-override`,
    lines.map((e) => ({ field: e.field, message: said(e) })),
  );
}

/** What an override response carries, one sentence per line. */
export const warningsOf = (lines: readonly ExpiredLine[]): string[] => lines.map(said);
