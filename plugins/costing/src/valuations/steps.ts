// The steps table: every move and costing document a valuation is fed, in ledger order. Inserting
// a move's step is what makes costing idempotent: its id is the ledger move id, so a second
// delivery of the same event finds it there and costs nothing.
import type { Ctx } from '../shared/index.js';
import type { NewStep, Position, StepRow, ValuationKey } from './types.js';

const COLUMNS = `id, item_id as "itemId", warehouse_id as "warehouseId", iso(at) as at, seq::text as seq,
  ord::text as ord, kind, document_id as "documentId", ref, trim_scale(qty)::text as qty,
  trim_scale(unit_cost)::text as "unitCost", trim_scale(amount)::text as amount, input, status,
  error_code as "errorCode"`;
const ORDER = 'order by at, seq, ord';

/** Inserts the steps not there yet; returns the ids it inserted (the others were delivered before). */
export async function insertSteps(ctx: Ctx, steps: readonly NewStep[]): Promise<Set<string>> {
  if (!steps.length) return new Set();
  const rows = await ctx.db.query<{ id: string }>(
    `insert into steps (id, item_id, warehouse_id, at, seq, ord, kind, document_id, ref, qty, unit_cost, amount,
                        input, reference, partner)
     select id, item_id, warehouse_id, at, seq, ord, kind, document_id, ref, qty, unit_cost, amount,
            coalesce(input, '{}'), reference, partner
       from jsonb_to_recordset($1::jsonb) as x(id uuid, item_id uuid, warehouse_id uuid, at timestamptz, seq bigint,
            ord bigint, kind text, document_id uuid, ref uuid, qty numeric, unit_cost numeric, amount numeric,
            input jsonb, reference text, partner text)
      -- A move the ledger has cancelled whose own event arrives late is not costed at all.
      where not exists (select 1 from cancelled_moves c where c.move_id = x.id)
     on conflict do nothing returning id`,
    [
      JSON.stringify(
        steps.map((s) => ({
          id: s.id,
          item_id: s.itemId,
          warehouse_id: s.warehouseId,
          at: s.at,
          seq: s.seq,
          ord: s.ord,
          kind: s.kind,
          document_id: s.documentId,
          ref: s.ref,
          qty: s.qty,
          unit_cost: s.unitCost,
          amount: s.amount,
          input: s.input ?? {},
          reference: s.reference ?? null,
          partner: s.partner ?? null,
        })),
      ),
    ],
  );
  return new Set(rows.map((r) => r.id));
}

export async function waitingSteps(ctx: Ctx, key: ValuationKey): Promise<StepRow[]> {
  return ctx.db.query<StepRow>(
    `select ${COLUMNS} from steps where item_id = $1 and warehouse_id = $2 and status = 'waiting' ${ORDER}`,
    [key.itemId, key.warehouseId],
  );
}

export async function allSteps(ctx: Ctx, key: ValuationKey): Promise<StepRow[]> {
  return ctx.db.query<StepRow>(
    `select ${COLUMNS} from steps where item_id = $1 and warehouse_id = $2 ${ORDER}`,
    [key.itemId, key.warehouseId],
  );
}

export async function getSteps(ctx: Ctx, ids: readonly string[]): Promise<Map<string, StepRow>> {
  if (!ids.length) return new Map();
  const rows = await ctx.db.query<StepRow>(`select ${COLUMNS} from steps where id = any($1::uuid[])`, [
    [...new Set(ids)],
  ]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The steps that take their cost from one of `ids` (transfers in, returns across warehouses). */
export async function dependents(ctx: Ctx, ids: readonly string[]): Promise<StepRow[]> {
  if (!ids.length) return [];
  return ctx.db.query<StepRow>(
    `select ${COLUMNS} from steps
      where ref = any($1::uuid[]) and kind in ('transfer-in', 'customer-return', 'vendor-return')`,
    [[...new Set(ids)]],
  );
}

export interface StepOutcome {
  id: string;
  status: 'applied' | 'waiting';
  errorCode?: string | null;
  error?: string | null;
  resolvedUnitCost?: string | null;
}

export async function markSteps(ctx: Ctx, outcomes: readonly StepOutcome[]) {
  if (!outcomes.length) return;
  await ctx.db.query(
    `update steps s set status = x.status, error_code = x.error_code, error = x.error,
            resolved_unit_cost = x.resolved_unit_cost
       from jsonb_to_recordset($1::jsonb) as x(id uuid, status text, error_code text, error text,
            resolved_unit_cost numeric)
      where s.id = x.id`,
    [
      JSON.stringify(
        outcomes.map((o) => ({
          id: o.id,
          status: o.status,
          error_code: o.errorCode ?? null,
          error: o.error ?? null,
          resolved_unit_cost: o.resolvedUnitCost ?? null,
        })),
      ),
    ],
  );
}

/** Where a costing document dated `at` sorts: after every ledger move costing has seen. */
export async function documentPosition(ctx: Ctx, at: string, no: string): Promise<Position> {
  const row = await ctx.db.one<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from steps where ord = 0',
  );
  return { at, seq: row!.seq, ord: no };
}

export const comparePositions = (a: Position, b: Position): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : cmpInt(a.seq, b.seq) || cmpInt(a.ord, b.ord);

const cmpInt = (a: string, b: string) => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
