// Issues (a line with returnOf is a return to the vendor). A delivery of a lot that has expired or is
// past its removal date on the issue's day is refused (WAREHOUSES_LOT_EXPIRED / _LOT_PAST_REMOVAL,
// naming each line), unless posted through /issues/expired-override by a holder of
// warehouses.lots.expired-override with a reason: then the response says which lots went, the
// override is kept per move and audited. That route refuses an issue that needs no override, so the
// permission never stands in for warehouses.stock.issue.
import { type Infer, type PluginRoute, route, schema } from '@erp/sdk';
import { expiredLines, refuseExpired, warningsOf } from '../expiry/index.js';
import type { MoveSpec } from '../ledger/index.js';
import {
  Code,
  type Ctx,
  DateTime,
  effectiveAt,
  Note,
  negate,
  Qty,
  refuse,
  Serials,
  Text,
  UnitCost,
  Uuid,
} from '../shared/index.js';
import { lines, postDocument, type Returned, returnSpec } from './post.js';
import { readDocument } from './read.js';

const issueProperties = {
  reference: Text,
  customer: Text,
  projectId: {
    type: ['string', 'null'],
    format: 'uuid',
    description: 'The project the stock is issued to (carried in stock.issued for project costing)',
  },
  note: Note,
  effectiveAt: DateTime,
  lines: lines(
    {
      itemId: Uuid,
      locationId: Uuid,
      qty: Qty,
      lot: Code,
      serials: Serials,
      unitPrice: {
        ...UnitCost,
        description:
          'Sale price per unit in the tenant currency (optional; carried in stock.issued for price checks)',
      },
      returnOf: { ...Uuid, description: 'A return to the vendor: the receipt move this line returns' },
    },
    ['itemId', 'locationId', 'qty'] as const,
  ),
} as const;

const Issue = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: issueProperties,
} as const);

const OverriddenIssue = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines', 'overrideReason'],
  properties: {
    ...issueProperties,
    overrideReason: {
      type: 'string',
      minLength: 3,
      maxLength: 500,
      pattern: '\\S',
      description: 'Why the expired (or past-removal) lots may go anyway: kept with the moves and audited',
    },
  },
} as const);

/** An issue as the schema types it (the override's extra field is read on its own). */
type IssueBody = Infer<typeof Issue>;

async function issueSpecs(ctx: Ctx, body: IssueBody, returned: Returned[]): Promise<MoveSpec[]> {
  const specs: MoveSpec[] = [];
  for (const [i, line] of body.lines.entries()) {
    const field = `/body/lines/${i}`;
    const base = {
      field,
      itemId: line.itemId,
      locationId: line.locationId,
      qty: negate(line.qty),
      serials: line.serials,
    };
    if (line.returnOf) {
      if (line.unitPrice !== undefined)
        refuse(
          422,
          'RETURN_PRICE_GIVEN',
          'A return to the vendor is not a sale',
          `${field}/unitPrice`,
          'must be left out on a line with returnOf',
        );
      const ret = { ...line, returnOf: line.returnOf };
      specs.push(await returnSpec(ctx, ret, base, 'vendor-return', body, returned));
    } else {
      specs.push({
        ...base,
        kind: 'issue',
        lot: line.lot ?? null,
        unitPrice: line.unitPrice ?? null,
        partner: body.customer ?? null,
        reference: body.reference ?? null,
      });
    }
  }
  return specs;
}

async function postIssue(ctx: Ctx, body: IssueBody, overrideReason?: string) {
  const returned: Returned[] = [];
  const specs = await issueSpecs(ctx, body, returned);
  const at = await effectiveAt(ctx, body.effectiveAt, '/body/effectiveAt');
  const expired = await expiredLines(ctx, specs, at);
  if (overrideReason === undefined) {
    if (expired.length > 0) refuseExpired(expired);
    return postDocument(ctx, 'issue', { ...body, effectiveAt: at, partner: body.customer }, specs, returned);
  }
  if (expired.length === 0)
    refuse(
      422,
      'EXPIRY_OVERRIDE_NOT_NEEDED',
      'Nothing to override',
      '/body/overrideReason',
      'no line takes an expired lot or one past its removal date: post it to /issues',
    );
  const doc = (await postDocument(
    ctx,
    'issue',
    { ...body, effectiveAt: at, partner: body.customer },
    specs,
    returned,
  )) as unknown as {
    id: string;
    moves: { id: string }[];
  };
  const moves = doc.moves;
  await ctx.db.query(
    `insert into expiry_overrides (move_id, document_id, status, reason, overridden_by)
     select m, $2, s, $4, $5 from unnest($1::uuid[], $3::text[]) as x(m, s)`,
    [
      expired.map((e) => moves[e.line]!.id),
      doc.id,
      expired.map((e) => e.status),
      overrideReason,
      ctx.user.id,
    ],
  );
  await ctx.audit.record({
    action: 'warehouses.issue.expired-override',
    resource: 'issue',
    resourceId: doc.id,
    data: {
      reason: overrideReason,
      lines: expired.map((e) => ({ line: e.line, itemId: e.itemId, lot: e.lot, status: e.status, on: e.on })),
    },
  });
  // Read again: the moves now show the override.
  return {
    ...(await readDocument(ctx, doc.id, 'issue')),
    expiredLots: expired,
    warnings: warningsOf(expired),
  };
}

export const issueRoutes: Record<string, PluginRoute> = {
  'POST /issues': route({
    permission: 'warehouses.stock.issue',
    summary: 'Issue stock (a line with returnOf is a return to the vendor); expired lots are refused',
    body: Issue,
    status: 201,
    handler: (ctx, { body }) => postIssue(ctx, body),
  }),
  'POST /issues/expired-override': route({
    permission: 'warehouses.lots.expired-override',
    summary: 'Issue stock that takes expired (or past-removal) lots, with a reason that is audited',
    body: OverriddenIssue,
    status: 201,
    handler: (ctx, { body }) => postIssue(ctx, body, body.overrideReason),
  }),
};
