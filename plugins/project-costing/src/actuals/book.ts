// Booking an actual cost to a project, in the project's currency (converted on the day it was
// incurred, unrounded). `source_key` is unique per tenant, so the same source never books twice.
import { convert, dec, type ExchangeRate, ProjectError, str } from '../engine/index.js';
import { findProject, type ProjectRow } from '../projects/index.js';
import { exchangeRates } from '../rates/index.js';
import { baseCurrency, type Ctx } from '../shared/index.js';

export interface NewActual {
  project: ProjectRow;
  activityId: string | null;
  kind: 'labour' | 'expense' | 'material';
  category: string;
  incurredOn: string;
  /** In `currency`. */
  amount: string;
  currency: string;
  hours?: string | null;
  userId?: string | null;
  sourceKey: string;
  description?: string | null;
}

/** The amount in the project's currency; throws ProjectError PROJECT_RATE_MISSING naming `field`. */
export function inProjectCurrency(
  a: Pick<NewActual, 'project' | 'amount' | 'currency' | 'incurredOn'>,
  base: string,
  rates: readonly ExchangeRate[],
  field = 'currency',
): string {
  return str(convert(dec(a.amount), a.currency, a.project.currency, a.incurredOn, { base, rates, field }));
}

export async function bookActual(ctx: Ctx, a: NewActual, rates?: readonly ExchangeRate[]) {
  const amount = inProjectCurrency(a, baseCurrency(ctx), rates ?? (await exchangeRates(ctx)));
  const activityId =
    a.activityId &&
    (await ctx.db.one('select 1 from activities where id = $1 and project_id = $2', [
      a.activityId,
      a.project.id,
    ]))
      ? a.activityId
      : null;
  const [row] = await ctx.db.query(
    `insert into actuals (project_id, activity_id, kind, category, incurred_on, amount, source_amount, source_currency,
                          hours, user_id, source_key, description)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     on conflict (tenant_id, source_key) do nothing
     returning id, amount::text as amount`,
    [
      a.project.id,
      activityId,
      a.kind,
      a.category,
      a.incurredOn,
      amount,
      a.amount,
      a.currency,
      a.hours ?? null,
      a.userId ?? null,
      a.sourceKey,
      a.description ?? null,
    ],
  );
  return row ?? null;
}

/**
 * Books the actual, or, when no exchange rate converts it yet, keeps it in `waiting_costs` (events
 * cannot be refused: the cost happened) until `bookWaitingCosts` finds a rate.
 */
export async function bookOrWait(ctx: Ctx, a: NewActual): Promise<'booked' | 'waiting'> {
  const rates = await exchangeRates(ctx);
  try {
    inProjectCurrency(a, baseCurrency(ctx), rates);
  } catch (err) {
    if (!(err instanceof ProjectError)) throw err;
    await ctx.db.query(
      `insert into waiting_costs (source_key, project_id, activity_id, kind, category, incurred_on, amount, currency, description, reason)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (tenant_id, source_key) do nothing`,
      [
        a.sourceKey,
        a.project.id,
        a.activityId,
        a.kind,
        a.category,
        a.incurredOn,
        a.amount,
        a.currency,
        a.description ?? null,
        err.reason,
      ],
    );
    return 'waiting';
  }
  await bookActual(ctx, a, rates);
  return 'booked';
}

/** Books every waiting cost a rate now converts; returns how many. */
export async function bookWaitingCosts(ctx: Ctx): Promise<number> {
  const waiting = (await ctx.db.query(
    `select source_key as "sourceKey", project_id as "projectId", activity_id as "activityId", kind, category,
            incurred_on::text as "incurredOn", amount::text as amount, currency, description from waiting_costs`,
  )) as unknown as (Omit<NewActual, 'project'> & { projectId: string })[];
  let booked = 0;
  for (const w of waiting) {
    const project = await findProject(ctx, w.projectId);
    if (!project) continue;
    const { projectId: _, ...rest } = w;
    const rates = await exchangeRates(ctx);
    try {
      inProjectCurrency({ ...rest, project }, baseCurrency(ctx), rates);
    } catch (err) {
      if (err instanceof ProjectError) continue;
      throw err;
    }
    await bookActual(ctx, { ...rest, project }, rates);
    await ctx.db.query('delete from waiting_costs where source_key = $1', [w.sourceKey]);
    booked++;
  }
  return booked;
}
