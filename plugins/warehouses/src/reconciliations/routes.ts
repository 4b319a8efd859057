// Stock reconciliation (ERPNext's): a count that sets, per item and warehouse, the quantity at a
// location and the unit cost absolutely, beside the quantity-only cycle counts. The difference is
// posted as an adjustment move of purpose 'reconciliation' (also announced as stock.adjusted); each
// line is announced as stock.reconciled with the warehouse's quantity after it and the rate, from
// which costing resets the valuation (one layer at the rate). Effective now: a back-dated absolute
// quantity would contradict the moves after it.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { placeOf } from '../catalogue/index.js';
import { readDocument } from '../documents/index.js';
import {
  type MoveSpec,
  postMoves,
  publishMoves,
  publishReconciled,
  type ReconciledLine,
  resolveSpecs,
} from '../ledger/index.js';
import { Code, effectiveAt, insertDocument, Note, refuse, Text, UnitCost, Uuid } from '../shared/index.js';
import { QTY_PATTERN } from '../shared/schemas.js';

const Reconciliation = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    reference: Text,
    note: Note,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemId', 'locationId', 'qty', 'unitCost'],
        properties: {
          itemId: Uuid,
          locationId: Uuid,
          qty: {
            type: 'string',
            pattern: QTY_PATTERN,
            description: 'The quantity at the location (0 allowed)',
          },
          unitCost: UnitCost,
          lot: Code,
        },
      },
    },
  },
} as const);

export const reconciliationRoutes: Record<string, PluginRoute> = {
  'POST /reconciliations': route({
    permission: 'warehouses.stock.adjust',
    summary: 'Stock reconciliation: set quantity and unit cost absolutely (a count with a rate)',
    body: Reconciliation,
    status: 201,
    async handler(ctx, { body }) {
      // A zero-quantity line still needs its item and location checked: resolve every line as a move of 1.
      const probe: MoveSpec[] = body.lines.map((l, i) => ({
        field: `/body/lines/${i}`,
        kind: 'adjustment',
        itemId: l.itemId,
        locationId: l.locationId,
        qty: '1',
        lot: l.lot ?? null,
      }));
      const { items, locations } = await resolveSpecs(ctx, probe);
      const seen = new Map<string, number>();
      body.lines.forEach((l, i) => {
        const item = items.get(l.itemId)!;
        const loc = locations.get(l.locationId)!;
        if (item.tracking === 'serial')
          refuse(
            422,
            'RECONCILIATION_SERIAL_ITEM',
            'Serial items are counted by serial number',
            `/body/lines/${i}/itemId`,
            `${item.sku} is serial-tracked: use a cycle count`,
          );
        const key = `${l.itemId}/${loc.warehouseId}`;
        if (seen.has(key))
          refuse(
            422,
            'RECONCILIATION_DUPLICATE_ITEM',
            'One line per item and warehouse',
            `/body/lines/${i}/itemId`,
            `${item.sku} already has line ${seen.get(key)} in the warehouse of ${placeOf(loc)}: a rate is per item and warehouse`,
          );
        seen.set(key, i);
      });
      const at = await effectiveAt(ctx, undefined, '/body');
      const id = await insertDocument(ctx, {
        kind: 'adjustment',
        purpose: 'reconciliation',
        reason: 'stock-reconciliation',
        reference: body.reference ?? null,
        note: body.note ?? null,
        effectiveAt: at,
      });
      const specs: MoveSpec[] = [];
      const diffs: string[] = [];
      for (const [i, l] of body.lines.entries()) {
        // Locks the balance, so the difference is against what is there when the move is posted.
        const row = await ctx.db.one<{ diff: string }>(
          `select trim_scale($4::numeric - coalesce((select qty from balances
                   where item_id = $1 and location_id = $2 and lot = $3 for update), 0))::text as diff`,
          [l.itemId, l.locationId, l.lot ?? '', l.qty],
        );
        diffs.push(row!.diff);
        if (row!.diff === '0') continue;
        specs.push({
          field: `/body/lines/${i}`,
          kind: 'adjustment',
          itemId: l.itemId,
          locationId: l.locationId,
          qty: row!.diff,
          lot: l.lot ?? null,
          unitCost: row!.diff.startsWith('-') ? null : l.unitCost,
          reference: body.reference ?? null,
        });
      }
      const moves = await postMoves(ctx, id, at, specs);
      const last = await ctx.db.one<{ seq: string }>('select coalesce(max(seq), 0)::text as seq from moves');
      const lines: ReconciledLine[] = [];
      for (const [i, l] of body.lines.entries()) {
        const loc = locations.get(l.locationId)!;
        const move = moves.find((m) => m.itemId === l.itemId && m.locationId === l.locationId) ?? null;
        const after = await ctx.db.one<{ qty: string; lineId: string }>(
          `select trim_scale(coalesce(sum(qty), 0))::text as qty, coalesce($3::uuid, gen_random_uuid()) as "lineId"
             from balances where item_id = $1 and warehouse_id = $2`,
          [l.itemId, loc.warehouseId, move?.id ?? null],
        );
        lines.push({
          lineId: after!.lineId,
          move,
          seq: move?.seq ?? Number(last!.seq),
          itemId: l.itemId,
          sku: items.get(l.itemId)!.sku,
          warehouseId: loc.warehouseId,
          locationId: l.locationId,
          lot: l.lot ?? null,
          countedQty: l.qty,
          difference: diffs[i]!,
          warehouseQty: after!.qty,
          unitCost: l.unitCost,
        });
      }
      await publishMoves(ctx, moves, { reason: 'stock-reconciliation', purpose: 'reconciliation' });
      await publishReconciled(ctx, { id, reference: body.reference ?? null, effectiveAt: at }, lines);
      await ctx.audit.record({
        action: 'warehouses.reconciliation.posted',
        resource: 'reconciliation',
        resourceId: id,
        data: { moves: moves.map((m) => m.id), lines: lines.length },
      });
      return {
        ...(await readDocument(ctx, id, 'adjustment', '/body')),
        lines: lines.map(({ move: _m, ...r }) => r),
      };
    },
  }),
};
