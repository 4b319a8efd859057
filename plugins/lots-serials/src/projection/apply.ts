// Applies one warehouses move to this plugin's projection. Idempotent (the move id is the key of
// tracked_moves: a second delivery stops at the first statement) and order-independent (lot
// quantities are sums; a serial's state is recomputed from its whole history in ledger order by the
// rules library, so neither arrival order nor a cancel arriving before its move changes it).

import { announceLotDates } from '../dates/index.js';
import { itemExpiry } from '../expiry/index.js';
import { expiryStatus, type LotDates, lotDates, type SerialMove, serialState } from '../rules/index.js';
import type { Ctx } from '../shared/index.js';

export interface TrackedMove {
  moveId: string;
  seq: number;
  kind: string;
  documentId: string;
  transferId?: string | null;
  itemId: string;
  sku: string;
  warehouseId: string;
  locationId: string;
  lot: string | null;
  lotExpiresOn?: string | null;
  serials: string[];
  /** Signed: positive into the location. */
  qty: string;
  partner: string | null;
  reference: string | null;
  returnOf: string | null;
  effectiveAt: string;
  /** On a reversing move (warehouses' stock.cancelled): the move it cancels. */
  cancels?: string | null;
}

const ARRIVALS = new Set(['receipt', 'customer-return', 'adjustment', 'count']);

export async function applyMove(ctx: Ctx, m: TrackedMove): Promise<void> {
  if (!m.lot && m.serials.length === 0) return; // not a tracked item: nothing to trace
  const fresh = await ctx.db.one(
    `insert into tracked_moves (move_id, seq, kind, document_id, transfer_id, item_id, sku, warehouse_id, location_id,
                                lot, serials, qty, partner, reference, return_of, effective_at, cancels)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     on conflict do nothing returning move_id`,
    [
      m.moveId,
      m.seq,
      m.kind,
      m.documentId,
      m.transferId ?? null,
      m.itemId,
      m.sku,
      m.warehouseId,
      m.locationId,
      m.lot,
      m.serials,
      m.qty,
      m.partner,
      m.reference,
      m.returnOf,
      m.effectiveAt,
      m.cancels ?? null,
    ],
  );
  if (!fresh) return; // delivered before
  const incoming = !m.qty.startsWith('-');
  if (m.lot) await applyLot(ctx, { ...m, lot: m.lot }, incoming && ARRIVALS.has(m.kind));
  if (m.serials.length) await applySerials(ctx, m);
}

/**
 * Creates the lot on its first move. An arrival brings the receipt date: dates not given on the
 * receipt line are computed from the item's expiry settings (rules/lotDates); dates a lot already
 * has are kept. A move out is stamped with the lot's expiry state on its day.
 */
async function applyLot(ctx: Ctx, m: TrackedMove & { lot: string }, arrival: boolean): Promise<void> {
  let dates: LotDates = {
    expiresOn: m.lotExpiresOn ?? null,
    bestBeforeOn: null,
    removalOn: null,
    alertOn: null,
  };
  if (arrival) {
    dates = lotDates(
      m.effectiveAt.slice(0, 10),
      await itemExpiry(ctx, m.itemId),
      m.lotExpiresOn ? { expiresOn: m.lotExpiresOn } : {},
    );
  }
  const source = m.lotExpiresOn
    ? 'receipt'
    : dates.expiresOn || dates.removalOn || dates.alertOn
      ? 'computed'
      : null;
  const lot = await ctx.db.one<Partial<LotDates> & { version: number; received: boolean }>(
    `insert into lots (item_id, code, sku, expires_on, best_before_on, removal_on, alert_on, dates_source, first_received_at,
                       dates_version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9,
             case when coalesce($4::date, $5::date, $6::date, $7::date) is null then 0 else 1 end)
     on conflict (tenant_id, item_id, code) do update
       set expires_on = coalesce(lots.expires_on, excluded.expires_on),
           best_before_on = coalesce(lots.best_before_on, excluded.best_before_on),
           removal_on = coalesce(lots.removal_on, excluded.removal_on),
           alert_on = coalesce(lots.alert_on, excluded.alert_on),
           dates_source = coalesce(lots.dates_source, excluded.dates_source),
           first_received_at = least(lots.first_received_at, excluded.first_received_at),
           dates_version = lots.dates_version
             + case when row(lots.expires_on, lots.best_before_on, lots.removal_on, lots.alert_on)
                         is distinct from row(coalesce(lots.expires_on, excluded.expires_on),
                                              coalesce(lots.best_before_on, excluded.best_before_on),
                                              coalesce(lots.removal_on, excluded.removal_on),
                                              coalesce(lots.alert_on, excluded.alert_on))
                    then 1 else 0 end
     returning expires_on::text as "expiresOn", removal_on::text as "removalOn", alert_on::text as "alertOn",
               dates_version as version, first_received_at is not null as received`,
    [
      m.itemId,
      m.lot,
      m.sku,
      dates.expiresOn,
      dates.bestBeforeOn,
      dates.removalOn,
      dates.alertOn,
      source,
      arrival ? m.effectiveAt : null,
    ],
  );
  if (!lot) return;
  if (m.qty.startsWith('-')) {
    // A move out learnt before any arrival of its lot (events of different types arrive in any
    // order) cannot be judged yet: it is flagged, and stamped when the arrival brings the dates.
    const status = lot.received ? expiryStatus(lot, m.effectiveAt.slice(0, 10)) : 'ok';
    if (status !== 'ok' || !lot.received)
      await ctx.db.query(
        'update tracked_moves set expiry_status = $2, learnt_early = $3 where move_id = $1',
        [m.moveId, status === 'ok' ? null : status, !lot.received],
      );
  }
  if (arrival && lot.version > 0) {
    await stampEarlyMoves(ctx, m.itemId, m.lot, lot);
    await announceLotDates(ctx, m.itemId, m.lot);
  }
}

/** Moves out of the lot learnt before its arrival: each gets the lot's state on its own day. */
async function stampEarlyMoves(ctx: Ctx, itemId: string, lot: string, dates: Partial<LotDates>) {
  const early = await ctx.db.query<{ moveId: string; day: string }>(
    `select move_id as "moveId", (effective_at at time zone 'UTC')::date::text as day
       from tracked_moves where item_id = $1 and lot = $2 and learnt_early and expiry_status is null`,
    [itemId, lot],
  );
  for (const e of early) {
    const status = expiryStatus(dates, e.day);
    if (status !== 'ok')
      await ctx.db.query('update tracked_moves set expiry_status = $2 where move_id = $1', [
        e.moveId,
        status,
      ]);
  }
}

/**
 * Recomputes each serial of the move from its whole history (rules/serialState): the register
 * follows the latest movement that is not cancelled, whatever order the events arrived in, and
 * whichever of two concurrent transactions commits first.
 */
async function applySerials(ctx: Ctx, m: TrackedMove): Promise<void> {
  const key = [m.itemId, m.serials] as const;
  await ctx.db.query(
    `insert into serials (item_id, serial, sku) select $1, s, $3 from unnest($2::text[]) s on conflict do nothing`,
    [...key, m.sku],
  );
  // Moves of one serial are learnt by different subscribers, each in its own transaction: lock the
  // serials (in a fixed order, so two moves never deadlock) before reading their history, so a move
  // committed meanwhile is seen, and one not yet committed reads this one after taking the lock.
  await ctx.db.query(
    'select serial from serials where item_id = $1 and serial = any($2::text[]) order by serial for update',
    [...key],
  );
  const history = await ctx.db.query<SerialMove & { serials: string[]; qty: string }>(
    `select move_id as "moveId", seq::int as seq, kind, document_id as "documentId", warehouse_id as "warehouseId",
            location_id as "locationId", partner, reference, iso(effective_at) as "effectiveAt", cancels, serials,
            case when qty < 0 then 'out' else 'in' end as direction
       from tracked_moves where item_id = $1 and serials && $2::text[]`,
    [...key],
  );
  // Each serial's moves, by one pass over the history (a receipt may carry thousands of serials).
  const bySerial = new Map<string, SerialMove[]>(m.serials.map((serial) => [serial, []]));
  for (const h of history) for (const serial of h.serials) bySerial.get(serial)?.push(h);
  const states = [...bySerial].map(([serial, moves]) => ({ serial, ...serialState(moves) }));
  const column = <T>(pick: (s: (typeof states)[number]) => T) => states.map(pick);
  await ctx.db.query(
    `update serials s set in_stock = x.in_stock, warehouse_id = x.warehouse_id, location_id = x.location_id,
            last_seq = x.last_seq, received_move_id = x.received_move_id, received_seq = x.received_seq,
            received_at = x.received_at, receipt_reference = x.receipt_reference, received_kind = x.received_kind,
            received_document_id = x.received_document_id, supplier = x.supplier,
            delivery_move_id = x.delivery_move_id, delivery_seq = x.delivery_seq, delivered_at = x.delivered_at,
            customer = x.customer, delivery_reference = x.delivery_reference, delivery_document_id = x.delivery_document_id
       from unnest($2::text[], $3::boolean[], $4::uuid[], $5::uuid[], $6::bigint[], $7::uuid[], $8::bigint[],
                   $9::timestamptz[], $10::text[], $11::text[], $12::uuid[], $13::text[], $14::uuid[], $15::bigint[],
                   $16::timestamptz[], $17::text[], $18::text[], $19::uuid[])
         as x(serial, in_stock, warehouse_id, location_id, last_seq, received_move_id, received_seq, received_at,
              receipt_reference, received_kind, received_document_id, supplier, delivery_move_id, delivery_seq,
              delivered_at, customer, delivery_reference, delivery_document_id)
      where s.item_id = $1 and s.serial = x.serial`,
    [
      m.itemId,
      column((s) => s.serial),
      column((s) => s.inStock),
      column((s) => s.warehouseId),
      column((s) => s.locationId),
      column((s) => s.lastSeq),
      column((s) => s.receipt?.moveId ?? null),
      column((s) => s.receipt?.seq ?? null),
      column((s) => s.receipt?.effectiveAt ?? null),
      column((s) => s.receipt?.reference ?? null),
      column((s) => s.receipt?.kind ?? null),
      column((s) => s.receipt?.documentId ?? null),
      column((s) => s.purchase?.partner ?? null),
      column((s) => s.delivery?.moveId ?? null),
      column((s) => s.delivery?.seq ?? null),
      column((s) => s.delivery?.effectiveAt ?? null),
      column((s) => s.delivery?.partner ?? null),
      column((s) => s.delivery?.reference ?? null),
      column((s) => s.delivery?.documentId ?? null),
    ],
  );
  if (m.kind === 'receipt' || m.kind === 'issue') {
    // Warranty by the item's policy, from the receipt or the delivery as the policy says; a
    // warranty set by hand is never overwritten.
    await ctx.db.query(
      `update serials s
          set warranty_starts_on = d.day, warranty_ends_on = (d.day + make_interval(months => p.months))::date - 1,
              warranty_terms = p.terms, warranty_source = 'policy'
         from warranty_policies p, (select ($3::timestamptz at time zone 'UTC')::date as day) d
        where p.item_id = s.item_id and p.starts = $4 and s.item_id = $1 and s.serial = any($2::text[])
          and s.warranty_source is distinct from 'manual'
          and (case when $4 = 'delivery' then s.delivery_seq else s.received_seq end) = $5`,
      [...key, m.effectiveAt, m.kind === 'issue' ? 'delivery' : 'receipt', m.seq],
    );
  }
  if (m.cancels) await followWarranty(ctx, m.itemId, m.serials);
}

/**
 * A cancel puts a serial back where it was, and its policy warranty with it: the warranty starts
 * from the delivery (or purchase receipt) the serial is now at, and is withdrawn when none is left
 * (a cancelled delivery of a serial never delivered before). A warranty set by hand is kept.
 */
async function followWarranty(ctx: Ctx, itemId: string, serials: string[]): Promise<void> {
  await ctx.db.query(
    `with w as (
       select s.serial, p.months, p.terms,
              ((case when p.starts = 'delivery' then s.delivered_at
                     when s.received_kind = 'receipt' then s.received_at end) at time zone 'UTC')::date as day
         from serials s join warranty_policies p on p.item_id = s.item_id
        where s.item_id = $1 and s.serial = any($2::text[]) and s.warranty_source = 'policy')
     update serials s
        set warranty_starts_on = w.day, warranty_ends_on = (w.day + make_interval(months => w.months))::date - 1,
            warranty_terms = case when w.day is null then null else w.terms end,
            warranty_source = case when w.day is null then null else 'policy' end
       from w where s.item_id = $1 and s.serial = w.serial`,
    [itemId, serials],
  );
}
