// A move out learnt before any arrival of its lot (flag `learntEarly`): its expiry state was not
// known when it was learnt. The arrival stamps it; the user then looks at it and resolves the flag,
// which is audited. Resolving before the lot's arrival is refused: there is nothing to judge yet.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { type Ctx, refuse, Uuid } from '../shared/index.js';

const MoveParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['moveId'],
  properties: { moveId: Uuid },
} as const);

const Resolution = schema({
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', minLength: 1, maxLength: 2000 } },
} as const);

async function resolveEarly(ctx: Ctx, moveId: string, note: string | undefined) {
  const move = await ctx.db.one<{
    learntEarly: boolean;
    received: boolean | null;
    expiryStatus: string | null;
  }>(
    `select t.learnt_early as "learntEarly", l.first_received_at is not null as received, t.expiry_status as "expiryStatus"
       from tracked_moves t left join lots l on l.item_id = t.item_id and l.code = t.lot
      where t.move_id = $1 for update of t`,
    [moveId],
  );
  if (!move) refuse(404, 'MOVE_NOT_FOUND', 'Move not found', '/params/moveId', 'does not exist');
  if (!move.learntEarly)
    refuse(409, 'MOVE_NOT_FLAGGED', 'Nothing to resolve', '/params/moveId', 'the move carries no flag');
  if (!move.received)
    refuse(
      409,
      'LOT_NOT_RECEIVED',
      'The lot has not arrived yet',
      '/params/moveId',
      "the lot's receipt has not been learnt: its expiry on the move's day is not known yet",
    );
  await ctx.db.query('update tracked_moves set learnt_early = false where move_id = $1', [moveId]);
  await ctx.audit.record({
    action: 'lots-serials.move.flag-resolved',
    resource: 'move',
    resourceId: moveId,
    data: { flag: 'learnt-early', expiryStatus: move.expiryStatus, note: note ?? null },
  });
  return { moveId, learntEarly: false, expiryStatus: move.expiryStatus };
}

export const flagRoutes: Record<string, PluginRoute> = {
  'POST /moves/:moveId/resolve': route({
    permission: 'lots-serials.lots.write',
    summary: "Resolve a move's learnt-before-its-receipt flag once the lot's arrival has stamped it",
    params: MoveParams,
    body: Resolution,
    handler: (ctx, { params, body }) => resolveEarly(ctx, params.moveId, body.note),
  }),
};
