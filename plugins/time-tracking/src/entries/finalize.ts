// An entry's final approval: the bill rate in force on its work date is fixed on it (a reversing
// entry takes the rate of the entry it reverses, so the two cancel to the cent), it is locked, and
// time.entry.approved announces it, all in the approving unit of work.
import type { Json, PluginContext } from '@erp/sdk';
import { billAmount, loadRules, resolveRate, roleOf } from '../rates/index.js';
import { settings } from '../shared/index.js';
import { readEntry } from './store.js';

export async function finalize(ctx: PluginContext, entryId: string): Promise<void> {
  const e = (await readEntry(ctx, entryId))!;
  let bill: { rateId: string | null; rate: string | null; currency: string | null; amount: string | null } = {
    rateId: null,
    rate: null,
    currency: null,
    amount: null,
  };
  const decimals = settings(ctx).currencyDecimals;
  if (e.billable && e.reversesEntryId) {
    const orig = await ctx.db.one<{ rateId: string | null; rate: string | null; currency: string | null }>(
      `select rate_id as "rateId", trim_scale(bill_rate)::text as rate, bill_currency as currency from entries where id = $1`,
      [e.reversesEntryId],
    );
    if (orig?.rate) bill = { ...orig, amount: billAmount(e.hours!, orig.rate, decimals) };
  } else if (e.billable) {
    const project = await ctx.db.one<{ client: string | null }>('select client from projects where id = $1', [
      e.projectId,
    ]);
    const hit = resolveRate(await loadRules(ctx, e.workDate), {
      workDate: e.workDate,
      userId: e.userId,
      role: await roleOf(ctx, e.userId),
      projectId: e.projectId,
      client: project?.client ?? null,
    });
    if (hit)
      bill = {
        rateId: hit.rule.id,
        rate: hit.rule.rate,
        currency: hit.rule.currency,
        amount: billAmount(e.hours!, hit.rule.rate, decimals),
      };
  }
  await ctx.db.query(
    `update entries set status = 'approved', step = null, approved_at = now(), rate_id = $2, bill_rate = $3,
       bill_currency = $4, bill_amount = $5, updated_at = now() where id = $1`,
    [e.id, bill.rateId, bill.rate, bill.currency, bill.amount] as Json[],
  );
  await ctx.events.publish('time.entry.approved', {
    entryId: e.id,
    userId: e.userId,
    projectId: e.projectId,
    activityId: e.activityId,
    workDate: e.workDate,
    hours: e.hours!,
    billable: e.billable,
    reversesEntryId: e.reversesEntryId,
  });
  await ctx.audit.record({
    action: 'time.entry.approved',
    resource: 'time-entry',
    resourceId: e.id,
    data: bill as Json,
  });
}
