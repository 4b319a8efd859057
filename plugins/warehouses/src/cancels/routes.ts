// Cancelling a posted document (receipt, issue, adjustment, approved transfer, count posting).
// The ledger stays append-only: a cancel posts one reversing move per move of the document, at the
// original's effective instant (so stock at any date reads as if it had not moved, and a reversal
// that later moves depend on is refused by the back-dated balance check), and announces each as
// stock.cancelled; costing then re-costs everything after it. Refused, changing nothing, when
// later moves depend on the document in a way that cannot be undone.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { readDocument } from '../documents/index.js';
import { type MoveSpec, postMoves, publishCancels } from '../ledger/index.js';
import { IdParams, insertDocument, negate, Note, Text } from '../shared/index.js';
import { cancellable, releaseReturns } from './original.js';

const CancelBody = schema({
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 200 }, reference: Text, note: Note },
} as const);

export const cancelRoutes: Record<string, PluginRoute> = {
  'POST /documents/:id/cancel': route({
    permission: 'warehouses.documents.cancel',
    summary: 'Cancel a posted document by reversing moves (later moves are re-costed by costing)',
    params: IdParams,
    body: CancelBody,
    status: 201,
    async handler(ctx, { params, body }) {
      const doc = await cancellable(ctx, params.id);
      const id = await insertDocument(ctx, {
        kind: 'adjustment',
        purpose: 'cancel',
        reason: body.reason ?? `cancel of ${doc.kind} ${doc.id}`,
        reference: body.reference ?? doc.reference,
        note: body.note ?? null,
        effectiveAt: doc.effectiveAt,
      });
      const specs: MoveSpec[] = doc.moves.map((m) => ({
        field: '/params/id',
        kind: 'adjustment',
        itemId: m.itemId,
        locationId: m.locationId,
        qty: negate(m.qty),
        lot: m.lot,
        serials: m.serials,
        reference: body.reference ?? doc.reference,
        cancelsMoveId: m.id,
      }));
      const moves = await postMoves(ctx, id, doc.effectiveAt, specs);
      await releaseReturns(ctx, doc.moves);
      await ctx.db.query(
        'insert into cancellations (document_id, cancel_document_id, reason, cancelled_by) values ($1, $2, $3, $4)',
        [doc.id, id, body.reason ?? null, ctx.user.id],
      );
      await publishCancels(ctx, doc, moves);
      await ctx.audit.record({
        action: 'warehouses.document.cancelled',
        resource: doc.kind,
        resourceId: doc.id,
        data: { cancelDocumentId: id, moves: moves.map((m) => m.id) },
      });
      return { ...(await readDocument(ctx, id, 'adjustment')), cancels: doc.id };
    },
  }),
};
