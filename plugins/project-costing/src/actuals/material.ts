// Stock issued to a project, as the costing plugin costs it: `costing.issue.costed` books the
// issue's cost, `costing.issue.recosted` books each later change (signed delta) as its own actual,
// so the history of the material cost is kept. Costing's amounts are in the tenant's base
// currency; they are converted to the project's currency on the effective date. Issues without a
// project, or for a project this tenant does not have, are not project costs and are skipped.
// Without an exchange rate for the day the cost waits (waiting_costs) and is booked when one is set.
import { findProject } from '../projects/index.js';
import { baseCurrency, type Ctx } from '../shared/index.js';
import { bookOrWait } from './book.js';

export interface IssueCosted {
  moveId: string;
  documentId?: string;
  itemId?: string;
  qty?: string;
  amount: string;
  projectId: string | null;
  effectiveAt: string;
}

export interface IssueRecosted {
  moveId: string;
  projectId: string | null;
  delta: string;
  reason: string;
  effectiveAt: string;
}

async function book(
  ctx: Ctx,
  projectId: string | null,
  amount: string,
  on: string,
  key: string,
  description: string,
) {
  if (!projectId) return;
  const project = await findProject(ctx, projectId);
  if (!project) {
    ctx.log.warn('stock issued to a project this tenant does not have', { projectId, key });
    return;
  }
  await bookOrWait(ctx, {
    project,
    activityId: null,
    kind: 'material',
    category: 'material',
    incurredOn: on.slice(0, 10),
    amount,
    currency: baseCurrency(ctx),
    sourceKey: key,
    description,
  });
}

export const issueCosted = (ctx: Ctx, e: IssueCosted) =>
  book(
    ctx,
    e.projectId,
    e.amount,
    e.effectiveAt,
    `issue:${e.moveId}`,
    `stock issue ${e.qty ?? ''} of item ${e.itemId ?? ''}`.trim(),
  );

export const issueRecosted = (ctx: Ctx, e: IssueRecosted, eventId: string) =>
  book(
    ctx,
    e.projectId,
    e.delta,
    e.effectiveAt,
    `recost:${e.moveId}:${eventId}`,
    `re-cost of issue ${e.moveId}: ${e.reason}`,
  );
