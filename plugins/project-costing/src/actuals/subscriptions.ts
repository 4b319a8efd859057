// What other plugins tell us: approved time (time-tracking) and costed stock issues (costing).
// Each delivery runs in the event's tenant transaction; the kernel's inbox and our source keys make
// a second delivery book nothing. Payloads are checked for the fields used (the publisher's schema
// validated them when published).
import type { EventEnvelope, PluginSubscription } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';
import { type ApprovedTime, costTime } from './labour.js';
import { type IssueCosted, type IssueRecosted, issueCosted, issueRecosted } from './material.js';

function need<T>(payload: unknown, fields: string[], type: string): T {
  const p = payload as Record<string, unknown>;
  const missing = fields.filter((f) => p?.[f] === undefined);
  if (missing.length) throw new Error(`${type}: payload lacks ${missing.join(', ')}`);
  return p as T;
}

export const subscriptions: Record<string, PluginSubscription> = {
  'time-approved': {
    event: 'time-tracking.time.entry.approved',
    async handler(ctx: Ctx, event: EventEnvelope) {
      const t = need<ApprovedTime>(
        event.payload,
        ['entryId', 'userId', 'projectId', 'workDate', 'hours'],
        event.type,
      );
      await costTime(ctx, { ...t, activityId: t.activityId ?? null });
    },
  },
  'issue-costed': {
    event: 'costing.issue.costed',
    async handler(ctx: Ctx, event: EventEnvelope) {
      await issueCosted(
        ctx,
        need<IssueCosted>(event.payload, ['moveId', 'amount', 'effectiveAt'], event.type),
      );
    },
  },
  'issue-recosted': {
    event: 'costing.issue.recosted',
    async handler(ctx: Ctx, event: EventEnvelope) {
      await issueRecosted(
        ctx,
        need<IssueRecosted>(event.payload, ['moveId', 'delta', 'effectiveAt'], event.type),
        event.id,
      );
    },
  },
};
