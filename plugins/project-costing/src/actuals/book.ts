// Booking an actual cost to a project, in the project's currency (converted on the day it was
// incurred, unrounded). `source_key` is unique per tenant, so the same source never books twice.
import { convert, dec, type ExchangeRate, str } from '../engine/index.js';
import type { ProjectRow } from '../projects/index.js';
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
