// Row shapes and the unit-of-work helpers routes share.
import type { Json, PluginContext } from '@erp/sdk';
import { refuse } from './problems.js';

export type Ctx = PluginContext;

/** Inserts a document row (the header every move points to) and returns its id. */
export async function insertDocument(
  ctx: Ctx,
  doc: {
    kind: 'receipt' | 'issue' | 'adjustment' | 'transfer' | 'count';
    reference?: string | null;
    partner?: string | null;
    note?: string | null;
    reason?: string | null;
    effectiveAt: string;
    projectId?: string | null;
    purpose?: 'cancel' | 'repack' | 'reconciliation' | null;
    additionalCost?: string | null;
  },
): Promise<string> {
  const row = await ctx.db.one<{ id: string }>(
    `insert into documents (kind, reference, partner, note, reason, effective_at, created_by, project_id, purpose,
                            additional_cost)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
    [
      doc.kind,
      doc.reference ?? null,
      doc.partner ?? null,
      doc.note ?? null,
      doc.reason ?? null,
      doc.effectiveAt,
      ctx.user.id,
      doc.projectId ?? null,
      doc.purpose ?? null,
      doc.additionalCost ?? null,
    ],
  );
  return row!.id;
}

/**
 * The effective time of a document: the one given (not later than a few minutes from now, for
 * clock skew) or now. Returned as the database's ISO text so every move of the document agrees.
 */
export async function effectiveAt(ctx: Ctx, given: string | undefined, field: string): Promise<string> {
  const row = await ctx.db.one<{ at: string; future: boolean }>(
    `select iso(coalesce($1::timestamptz, now())) as at,
            coalesce($1::timestamptz > now() + interval '5 minutes', false) as future`,
    [given ?? null] as Json[],
  );
  if (row!.future)
    refuse(422, 'DATE_IN_FUTURE', 'Date in the future', field, 'stock cannot move at a future date');
  return row!.at;
}
