// Returns point at the move they return: a customer return at an issue, a return to a vendor at a
// receipt. The item must match, the lot and serials must be the original's, and the total returned
// never exceeds what moved — kept in move_returns, whose row lock and CHECK make two concurrent
// returns of the same move add up correctly.
import { type Ctx, refuse } from '../shared/index.js';

export interface ReturnedMove {
  id: string;
  kind: string;
  itemId: string;
  lot: string | null;
  partner: string | null;
  qty: string;
  serials: string[];
}

export async function resolveReturn(
  ctx: Ctx,
  line: { itemId: string; returnOf: string; lot?: string; serials?: readonly string[] },
  field: string,
  expected: 'issue' | 'receipt',
): Promise<ReturnedMove> {
  const orig = await ctx.db.one<ReturnedMove>(
    `select m.id, m.kind, m.item_id as "itemId", nullif(m.lot, '') as lot, m.partner, trim_scale(abs(m.qty))::text as qty,
            coalesce((select array_agg(serial) from move_serials s where s.move_id = m.id), '{}') as serials
       from moves m where m.id = $1`,
    [line.returnOf],
  );
  if (!orig) refuse(422, 'RETURN_UNKNOWN', 'Returned move not found', `${field}/returnOf`, 'no such move');
  const cancel = await ctx.db.one<{ id: string }>('select id from moves where cancels_move_id = $1', [orig.id]);
  if (cancel)
    refuse(
      409,
      'RETURN_OF_CANCELLED',
      'The returned move was cancelled',
      `${field}/returnOf`,
      `move ${orig.id} was cancelled (by move ${cancel.id})`,
    );
  if (orig.kind !== expected)
    refuse(
      422,
      expected === 'issue' ? 'RETURN_NOT_AN_ISSUE' : 'RETURN_NOT_A_RECEIPT',
      expected === 'issue'
        ? 'A customer return must point at an issue'
        : 'A return to a vendor must point at a receipt',
      `${field}/returnOf`,
      `move is a ${orig.kind}`,
    );
  if (orig.itemId !== line.itemId)
    refuse(
      422,
      'RETURN_ITEM_MISMATCH',
      'Returned item differs',
      `${field}/itemId`,
      'is not the item of the returned move',
    );
  if (line.lot && line.lot !== orig.lot)
    refuse(
      422,
      'RETURN_LOT_MISMATCH',
      'Returned lot differs',
      `${field}/lot`,
      `the returned move was lot ${orig.lot ?? '(none)'}`,
    );
  const allowed = new Set(orig.serials);
  (line.serials ?? []).forEach((s, i) => {
    if (!allowed.has(s))
      refuse(
        422,
        'RETURN_SERIAL_MISMATCH',
        'Serial number was not in the returned move',
        `${field}/serials/${i}`,
        `${s} did not move there`,
      );
  });
  return orig;
}

/** Adds qty to what has come back of the original move, refusing more than it moved. */
export async function recordReturn(ctx: Ctx, orig: ReturnedMove, qty: string, field: string): Promise<void> {
  const row = await ctx.db.one(
    `insert into move_returns (move_id, original_qty, returned_qty)
     select $1, $2::numeric, $3::numeric where $3::numeric <= $2::numeric
     on conflict (tenant_id, move_id) do update set returned_qty = move_returns.returned_qty + excluded.returned_qty
       where move_returns.returned_qty + excluded.returned_qty <= move_returns.original_qty
     returning 1 as ok`,
    [orig.id, orig.qty, qty],
  );
  if (row) return;
  const done = await ctx.db.one<{ returned: string }>(
    'select trim_scale(returned_qty)::text as returned from move_returns where move_id = $1',
    [orig.id],
  );
  refuse(
    409,
    'RETURN_EXCEEDS',
    'Return exceeds what moved',
    `${field}/qty`,
    `${qty} returned, but only ${orig.qty} moved and ${done?.returned ?? '0'} already came back`,
  );
}
