// What a cancel reverses: the document's moves, and the checks that refuse a cancel later moves
// depend on in a way the ledger cannot undo (the stock balance itself is checked by posting the
// reversing moves, back-dated to the original's instant, like any back-dated move).
import { type Ctx, refuse } from '../shared/index.js';

export interface OriginalMove {
  id: string;
  kind: string;
  itemId: string;
  locationId: string;
  lot: string | null;
  qty: string;
  serials: string[];
  returnOf: string | null;
}

export interface OriginalDocument {
  id: string;
  kind: string;
  purpose: string | null;
  reference: string | null;
  effectiveAt: string;
  moves: OriginalMove[];
}

/** The document, locked (so two cancels of it queue), with its moves; refusals change nothing. */
export async function cancellable(ctx: Ctx, id: string): Promise<OriginalDocument> {
  const doc = await ctx.db.one<Omit<OriginalDocument, 'moves'>>(
    `select id, kind, purpose, reference, iso(effective_at) as "effectiveAt" from documents where id = $1 for update`,
    [id],
  );
  if (!doc) refuse(404, 'DOCUMENT_NOT_FOUND', 'Document not found', '/params/id', 'does not exist');
  if (doc.purpose === 'cancel')
    refuse(
      422,
      'CANCEL_OF_CANCEL',
      'A cancellation cannot be cancelled',
      '/params/id',
      'is itself a cancellation; post the document again instead',
    );
  const done = await ctx.db.one<{ by: string }>(
    'select cancel_document_id as by from cancellations where document_id = $1',
    [id],
  );
  if (done)
    refuse(409, 'ALREADY_CANCELLED', 'Already cancelled', '/params/id', `was cancelled by document ${done.by}`);
  const moves = await ctx.db.query<OriginalMove>(
    `select m.id, m.kind, m.item_id as "itemId", m.location_id as "locationId", nullif(m.lot, '') as lot,
            trim_scale(m.qty)::text as qty, m.return_of as "returnOf",
            coalesce((select array_agg(s.serial order by s.serial) from move_serials s where s.move_id = m.id), '{}') as serials
       from moves m where m.document_id = $1 order by m.line_no`,
    [id],
  );
  if (!moves.length)
    refuse(422, 'NOTHING_TO_CANCEL', 'Nothing to cancel', '/params/id', 'the document posted no moves');
  await refuseDependents(ctx, moves);
  return { ...doc, moves };
}

async function refuseDependents(ctx: Ctx, moves: readonly OriginalMove[]) {
  const ids = moves.map((m) => m.id);
  // A receipt or issue something was returned against: the return would point at nothing.
  const returned = await ctx.db.one<{ id: string; qty: string }>(
    `select move_id as id, trim_scale(returned_qty)::text as qty from move_returns
      where move_id = any($1::uuid[]) and returned_qty > 0 order by move_id limit 1`,
    [ids],
  );
  if (returned)
    refuse(
      409,
      'CANCEL_HAS_RETURNS',
      'Returns depend on this document',
      '/params/id',
      `${returned.qty} of move ${returned.id} came back by a return: cancel the return first`,
    );
  // A serial that moved on (shipped, transferred, received again) after this document: putting it
  // back where this document found it would contradict the ledger since.
  const moved = await ctx.db.one<{ serial: string; sku: string; lastMove: string }>(
    `select s.serial, i.sku, ss.last_move_id as "lastMove"
       from move_serials s join serial_stock ss on ss.item_id = s.item_id and ss.serial = s.serial
       join items i on i.id = s.item_id
      where s.move_id = any($1::uuid[]) and ss.last_move_id <> all($1::uuid[])
      order by s.serial limit 1`,
    [ids],
  );
  if (moved)
    refuse(
      409,
      'CANCEL_SERIAL_MOVED_ON',
      'A serial number moved on since',
      '/params/id',
      `${moved.sku} serial ${moved.serial} moved again after this document (move ${moved.lastMove}): cancel that first`,
    );
}

/** Undoes what a cancelled return added to its original's returned quantity. */
export async function releaseReturns(ctx: Ctx, moves: readonly OriginalMove[]) {
  for (const m of moves) {
    if (!m.returnOf) continue;
    const qty = m.qty.replace(/^-/, '');
    const gone = await ctx.db.one(
      'delete from move_returns where move_id = $1 and returned_qty = $2::numeric returning 1 as ok',
      [m.returnOf, qty],
    );
    if (!gone)
      await ctx.db.query('update move_returns set returned_qty = returned_qty - $2::numeric where move_id = $1', [
        m.returnOf,
        qty,
      ]);
  }
}
