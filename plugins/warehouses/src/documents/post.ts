// Posting a receipt, issue or adjustment document: its header, its moves, the returns it records,
// its events and audit entry, in the request's unit of work.
import { type MoveSpec, postMoves, publishMoves } from '../ledger/index.js';
import { type Ctx, effectiveAt, insertDocument } from '../shared/index.js';
import { readDocument } from './read.js';
import { type ReturnedMove, recordReturn, resolveReturn } from './returns.js';

/** Line schema of a document: up to 500 lines, no unknown fields. */
export const lines = <P extends object, R extends readonly string[]>(properties: P, required: R) =>
  ({
    type: 'array',
    minItems: 1,
    maxItems: 500,
    items: { type: 'object', additionalProperties: false, required, properties },
  }) as const;

export type Returned = { orig: ReturnedMove; qty: string; field: string };

export async function postDocument(
  ctx: Ctx,
  kind: 'receipt' | 'issue' | 'adjustment',
  header: {
    reference?: string;
    partner?: string;
    note?: string;
    reason?: string;
    effectiveAt?: string;
    projectId?: string | null;
  },
  specs: MoveSpec[],
  returned: Returned[],
) {
  const at = await effectiveAt(ctx, header.effectiveAt, '/body/effectiveAt');
  const id = await insertDocument(ctx, { kind, ...header, effectiveAt: at });
  const moves = await postMoves(ctx, id, at, specs);
  for (const r of returned) await recordReturn(ctx, r.orig, r.qty, r.field);
  await publishMoves(ctx, moves, {
    ...(header.reason ? { reason: header.reason } : {}),
    projectId: header.projectId ?? null,
  });
  await ctx.audit.record({
    action: `warehouses.${kind}.posted`,
    resource: kind,
    resourceId: id,
    data: { reference: header.reference ?? null, moves: moves.map((m) => m.id) },
  });
  return readDocument(ctx, id, kind, '/body');
}

/** A line with returnOf: checked against the move it returns, whose lot and partner it keeps. */
export async function returnSpec(
  ctx: Ctx,
  line: Parameters<typeof resolveReturn>[1] & { qty: string },
  base: Omit<MoveSpec, 'kind'>,
  kind: 'customer-return' | 'vendor-return',
  body: { reference?: string },
  returned: Returned[],
): Promise<MoveSpec> {
  const expected = kind === 'customer-return' ? 'issue' : 'receipt';
  const orig = await resolveReturn(ctx, line, base.field, expected);
  returned.push({ orig, qty: line.qty, field: base.field });
  return {
    ...base,
    kind,
    lot: line.lot ?? orig.lot,
    returnOf: orig.id,
    partner: orig.partner,
    reference: body.reference ?? null,
  };
}
