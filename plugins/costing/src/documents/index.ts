// Costing documents (landed costs, revaluations, method changes): the header their steps point to,
// numbered so that documents of the same instant sort in the order they were posted.
import type { Json } from '@erp/sdk';
import { type Ctx, refuse } from '../shared/index.js';

export interface DocumentHeader {
  kind: 'landed-cost' | 'revaluation' | 'method-change';
  reference?: string | null;
  at: string;
  amount?: string | null;
  split?: string | null;
  itemId?: string | null;
  unitCost?: string | null;
  method?: string | null;
}

/** The document's date as the database's ISO text (now when not given); not in the future. */
export async function documentDate(
  ctx: Ctx,
  given: string | undefined,
  field = '/body/date',
): Promise<string> {
  const row = await ctx.db.one<{ at: string; future: boolean }>(
    `select iso(coalesce($1::timestamptz, now())) as at,
            coalesce($1::timestamptz > now() + interval '5 minutes', false) as future`,
    [given ?? null] as Json[],
  );
  if (row!.future)
    refuse(
      422,
      'COSTING_DATE_IN_FUTURE',
      'Date in the future',
      field,
      'costing cannot be posted at a future date',
    );
  return row!.at;
}

export async function insertDocument(ctx: Ctx, d: DocumentHeader): Promise<{ id: string; no: string }> {
  const row = await ctx.db.one<{ id: string; no: string }>(
    `insert into documents (kind, reference, at, amount, split, item_id, unit_cost, method, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id, no::text as no`,
    [
      d.kind,
      d.reference ?? null,
      d.at,
      d.amount ?? null,
      d.split ?? null,
      d.itemId ?? null,
      d.unitCost ?? null,
      d.method ?? null,
      ctx.user.id,
    ],
  );
  return row!;
}

/** Fresh ids for steps, from the database (the same code runs in the sandbox, without node:crypto). */
export async function newIds(ctx: Ctx, n: number): Promise<string[]> {
  if (n === 0) return [];
  const rows = await ctx.db.query<{ id: string }>(
    'select gen_random_uuid() as id from generate_series(1, $1::int)',
    [n],
  );
  return rows.map((r) => r.id);
}
