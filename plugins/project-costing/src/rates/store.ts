// Cost rates, people's roles and exchange rates as the engines take them.
import type { CostRate, ExchangeRate } from '../engine/index.js';
import type { Ctx } from '../shared/index.js';

export const costRates = async (ctx: Ctx): Promise<CostRate[]> =>
  (await ctx.db.query(
    `select id, user_id as "userId", role, rate::text as rate, currency, effective_from::text as "effectiveFrom",
            effective_to::text as "effectiveTo" from cost_rates order by effective_from, id`,
  )) as unknown as CostRate[];

export const exchangeRates = async (ctx: Ctx): Promise<ExchangeRate[]> =>
  (await ctx.db.query(
    `select currency, on_date::text as on, rate::text as rate from exchange_rates order by currency, on_date`,
  )) as unknown as ExchangeRate[];

export const roleOf = async (ctx: Ctx, userId: string): Promise<string | null> =>
  (await ctx.db.one<{ role: string }>('select role from people where user_id = $1', [userId]))?.role ?? null;
