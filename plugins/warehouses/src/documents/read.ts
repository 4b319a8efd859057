// A document (receipt, issue, adjustment, transfer or count posting) with its moves.
import { MOVE_COLUMNS, MOVE_FROM } from '../ledger/index.js';
import { type Ctx, notFound } from '../shared/index.js';

export async function readDocument(ctx: Ctx, id: string, kind: string, field = '/params/id') {
  const doc = await ctx.db.one(
    `select id, kind, reference, partner, note, reason, project_id as "projectId", purpose,
            (select c.cancel_document_id from cancellations c where c.document_id = documents.id) as "cancelledBy",
            iso(effective_at) as "effectiveAt", created_by as "createdBy",
            iso(created_at) as "createdAt" from documents where id = $1 and kind = $2`,
    [id, kind],
  );
  if (!doc) notFound(kind[0]!.toUpperCase() + kind.slice(1), field);
  const moves = await ctx.db.query(
    `select ${MOVE_COLUMNS} from ${MOVE_FROM} where m.document_id = $1 order by m.line_no`,
    [id],
  );
  return { ...doc, moves };
}
