// Approved time becomes labour cost: hours × the cost rate in force for the person on the work date
// (their own rate, else their role's; see engine/rates.ts), converted to the project's currency on
// that date. A reversing entry (negative hours) books a negative cost at the rate of its own date.
// Time that cannot be costed yet (no rate in force, or no exchange rate) waits in `unrated_time`
// and is costed as soon as a cost rate, role or exchange rate is added.
import { dec, ProjectError, resolveCostRate, str } from '../engine/index.js';
import { findProject, type ProjectRow } from '../projects/index.js';
import { costRates, exchangeRates, roleOf } from '../rates/index.js';
import { baseCurrency, type Ctx } from '../shared/index.js';
import { bookActual, bookWaitingCosts, inProjectCurrency } from './book.js';

export interface ApprovedTime {
  entryId: string;
  userId: string;
  projectId: string;
  activityId: string | null;
  workDate: string;
  hours: string;
}

type Outcome = 'booked' | 'unrated' | 'unknown-project';

async function tryCost(ctx: Ctx, t: ApprovedTime, project: ProjectRow): Promise<string | null> {
  const rate = resolveCostRate(
    await costRates(ctx),
    { userId: t.userId, role: await roleOf(ctx, t.userId) },
    t.workDate,
  );
  if (!rate) return `no cost rate in force for ${t.userId} on ${t.workDate}`;
  const amount = str(dec(t.hours).times(dec(rate.rate)));
  const rates = await exchangeRates(ctx);
  try {
    inProjectCurrency(
      { project, amount, currency: rate.currency, incurredOn: t.workDate },
      baseCurrency(ctx),
      rates,
    );
  } catch (err) {
    if (err instanceof ProjectError) return err.reason;
    throw err;
  }
  await bookActual(
    ctx,
    {
      project,
      activityId: t.activityId,
      kind: 'labour',
      category: 'labour',
      incurredOn: t.workDate,
      amount,
      currency: rate.currency,
      hours: t.hours,
      userId: t.userId,
      sourceKey: `time:${t.entryId}`,
      description: `${t.hours} h at ${rate.rate} ${rate.currency}/h`,
    },
    rates,
  );
  return null;
}

export async function costTime(ctx: Ctx, t: ApprovedTime): Promise<Outcome> {
  const project = await findProject(ctx, t.projectId);
  if (!project) {
    ctx.log.warn('approved time for a project this tenant does not have', {
      entryId: t.entryId,
      projectId: t.projectId,
    });
    return 'unknown-project';
  }
  const reason = await tryCost(ctx, t, project);
  if (reason === null) return 'booked';
  await ctx.db.query(
    `insert into unrated_time (entry_id, project_id, activity_id, user_id, work_date, hours, reason)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (tenant_id, entry_id) do update set reason = excluded.reason`,
    [t.entryId, t.projectId, t.activityId, t.userId, t.workDate, t.hours, reason],
  );
  return 'unrated';
}

/** Re-tries every waiting entry and waiting cost; returns how many were booked now. */
export async function bookWaiting(ctx: Ctx): Promise<number> {
  return (await costWaitingTime(ctx)) + (await bookWaitingCosts(ctx));
}

async function costWaitingTime(ctx: Ctx): Promise<number> {
  const waiting = (await ctx.db.query(
    `select entry_id as "entryId", user_id as "userId", project_id as "projectId", activity_id as "activityId",
            work_date::text as "workDate", hours::text as hours from unrated_time order by work_date`,
  )) as unknown as ApprovedTime[];
  let costed = 0;
  for (const t of waiting) {
    const project = await findProject(ctx, t.projectId);
    if (project && (await tryCost(ctx, t, project)) === null) {
      await ctx.db.query('delete from unrated_time where entry_id = $1', [t.entryId]);
      costed++;
    }
  }
  return costed;
}
