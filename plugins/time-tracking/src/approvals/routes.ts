// Decisions at each approval step. The approver step needs time.entries.approve, the finance step
// time.finance.approve; a route decides only at its own step (409 naming the step otherwise).
// Deciding on one's own entry is refused unless the tenant allows it (allowSelfApproval).
import { type PluginContext, type PluginRoute, route, schema } from '@erp/sdk';
import { ENTRY_COLUMNS, ENTRY_FROM, finalize, lockEntry, readEntry } from '../entries/index.js';
import { IdParams, me, refuse, settings } from '../shared/index.js';
import { onApprove, type Step } from '../workflow/index.js';

const Reject = schema({
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
} as const);

async function decide(
  ctx: PluginContext,
  id: string,
  step: Step,
  decision: 'approved' | 'rejected',
  reason?: string,
) {
  const userId = me(ctx);
  const s = settings(ctx);
  const e = await lockEntry(ctx, id);
  if (e.status !== 'submitted' || e.step !== step)
    refuse(
      409,
      'ENTRY_NOT_AT_STEP',
      `Not waiting for ${step}`,
      '/params/id',
      e.status === 'submitted' ? `the entry waits for the ${e.step} step` : `the entry is ${e.status}`,
    );
  if (e.userId === userId && !s.allowSelfApproval)
    refuse(403, 'SELF_APPROVAL', 'Own entry', '/params/id', 'you may not decide on your own time entries');
  await ctx.db.query(
    'insert into approvals (entry_id, step, decision, decided_by, reason) values ($1, $2, $3, $4, $5)',
    [e.id, step, decision, userId, reason ?? null],
  );
  if (decision === 'rejected') {
    await ctx.db.query(
      `update entries set status = 'rejected', step = null, reject_reason = $2, updated_at = now() where id = $1`,
      [e.id, reason ?? null],
    );
    await ctx.audit.record({
      action: 'time.entry.rejected',
      resource: 'time-entry',
      resourceId: e.id,
      data: { step, reason: reason ?? null },
    });
  } else {
    const next = onApprove(s.approvalSteps, step);
    await ctx.audit.record({
      action: 'time.entry.step-approved',
      resource: 'time-entry',
      resourceId: e.id,
      data: { step },
    });
    if (next.status === 'approved') await finalize(ctx, e.id);
    else
      await ctx.db.query('update entries set step = $2, updated_at = now() where id = $1', [e.id, next.step]);
  }
  return readEntry(ctx, e.id);
}

const queue = (step: Step) => async (ctx: PluginContext) => ({
  entries: await ctx.db.query(
    `select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where e.status = 'submitted' and e.step = $1
      order by e.submitted_at, e.no limit 1000`,
    [step],
  ),
});

export const approvalRoutes: Record<string, PluginRoute> = {
  'GET /approvals/approver': route({
    permission: 'time.entries.approve',
    summary: 'Entries waiting for the approver step',
    handler: queue('approver'),
  }),
  'GET /approvals/finance': route({
    permission: 'time.finance.approve',
    summary: 'Entries waiting for the finance step',
    handler: queue('finance'),
  }),
  'POST /entries/:id/approve': route({
    permission: 'time.entries.approve',
    params: IdParams,
    handler: (ctx, { params }) => decide(ctx, params.id, 'approver', 'approved'),
  }),
  'POST /entries/:id/reject': route({
    permission: 'time.entries.approve',
    params: IdParams,
    body: Reject,
    handler: (ctx, { params, body }) => decide(ctx, params.id, 'approver', 'rejected', body.reason),
  }),
  'POST /entries/:id/finance-approve': route({
    permission: 'time.finance.approve',
    params: IdParams,
    handler: (ctx, { params }) => decide(ctx, params.id, 'finance', 'approved'),
  }),
  'POST /entries/:id/finance-reject': route({
    permission: 'time.finance.approve',
    params: IdParams,
    body: Reject,
    handler: (ctx, { params, body }) => decide(ctx, params.id, 'finance', 'rejected', body.reason),
  }),
};
