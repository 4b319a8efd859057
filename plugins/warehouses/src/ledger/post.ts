// Posts a document's moves to the ledger in one go, inside the request's transaction: check every
// line; move the serial numbers (all that leave, then all that arrive, so a transfer's serial is
// out of its source before it enters the destination); update the balances in (item, location,
// lot) order, so two documents touching the same stock lock it in the same order and cannot
// deadlock; then append the moves, whose sequence numbers are thereby assigned after their
// stock is locked. Reorder points are checked last. Any refusal throws and the whole unit of
// work rolls back.

import { checkReorderPoints } from '../reorder/index.js';
import type { Ctx } from '../shared/index.js';
import { applyBalance } from './balances.js';
import { resolveSpecs } from './resolve.js';
import { applySerials } from './serials.js';
import type { MoveSpec, PostedMove } from './types.js';

const byKey = (a: MoveSpec, b: MoveSpec) =>
  a.itemId.localeCompare(b.itemId) ||
  a.locationId.localeCompare(b.locationId) ||
  (a.lot ?? '').localeCompare(b.lot ?? '') ||
  // Within one stock key, take before giving back, so a line that is short is never hidden.
  Number(!a.qty.startsWith('-')) - Number(!b.qty.startsWith('-'));

export async function postMoves(
  ctx: Ctx,
  documentId: string,
  effectiveAt: string,
  specs: readonly MoveSpec[],
): Promise<PostedMove[]> {
  if (!specs.length) return [];
  const { items, locations } = await resolveSpecs(ctx, specs);
  const ids = (
    await ctx.db.query<{ id: string }>('select gen_random_uuid() as id from generate_series(1, $1::int)', [
      specs.length,
    ])
  ).map((r) => r.id);
  const indices = specs.map((_, i) => i);
  const sorted = [...indices].sort((a, b) => byKey(specs[a]!, specs[b]!));
  const outgoing = (i: number) => specs[i]!.qty.startsWith('-');
  // Serial numbers first: for serial items their refusal says more than "not enough stock".
  for (const i of [...sorted.filter(outgoing), ...sorted.filter((i) => !outgoing(i))]) {
    const spec = specs[i]!;
    await applySerials(ctx, spec, ids[i]!, locations.get(spec.locationId)!, items.get(spec.itemId)!.sku);
  }
  for (const i of sorted) {
    const spec = specs[i]!;
    await applyBalance(ctx, spec, locations.get(spec.locationId)!, items.get(spec.itemId)!.sku, effectiveAt);
  }
  const posted: PostedMove[] = [];
  for (const i of indices) {
    const spec = specs[i]!;
    const item = items.get(spec.itemId)!;
    const location = locations.get(spec.locationId)!;
    const counterpartId = spec.counterpart === undefined ? null : ids[spec.counterpart]!;
    const serials = [...(spec.serials ?? [])];
    const row = await ctx.db.one<{
      seq: string;
      qty: string;
      unitCost: string | null;
      unitPrice: string | null;
    }>(
      `with m as (
         insert into moves (id, document_id, line_no, kind, item_id, warehouse_id, location_id, lot, lot_expires_on, qty,
                            unit_cost, return_of, counterpart_id, partner, reference, effective_at, cancels_move_id, unit_price)
         values ($1, $2, $17, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $18, $19)
         returning seq, qty, unit_cost, unit_price
       ), s as (
         insert into move_serials (move_id, item_id, serial) select $1, $4, unnest($16::text[])
       )
       select seq::text, trim_scale(qty)::text as qty, trim_scale(unit_cost)::text as "unitCost",
              trim_scale(unit_price)::text as "unitPrice" from m`,
      [
        ids[i]!,
        documentId,
        spec.kind,
        spec.itemId,
        location.warehouseId,
        spec.locationId,
        spec.lot ?? '',
        spec.lotExpiresOn ?? null,
        spec.qty,
        spec.unitCost ?? null,
        spec.returnOf ?? null,
        counterpartId,
        spec.partner ?? null,
        spec.reference ?? null,
        effectiveAt,
        serials,
        i,
        spec.cancelsMoveId ?? null,
        spec.unitPrice ?? null,
      ],
    );
    posted.push({
      id: ids[i]!,
      seq: Number(row!.seq),
      documentId,
      kind: spec.kind,
      itemId: spec.itemId,
      sku: item.sku,
      warehouseId: location.warehouseId,
      locationId: spec.locationId,
      lot: spec.lot || null,
      lotExpiresOn: spec.lotExpiresOn ?? null,
      qty: row!.qty,
      unitCost: row!.unitCost,
      unitPrice: row!.unitPrice,
      serials,
      returnOf: spec.returnOf ?? null,
      counterpartId,
      partner: spec.partner ?? null,
      reference: spec.reference ?? null,
      effectiveAt,
    });
  }
  await checkReorderPoints(
    ctx,
    posted.map((m) => ({ itemId: m.itemId, sku: m.sku, warehouseId: m.warehouseId, moveId: m.id })),
  );
  return posted;
}
