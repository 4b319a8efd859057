// The rates and job roles rate resolution reads, from this plugin's tables.
import type { PluginContext } from '@erp/sdk';
import type { RateRule } from './resolve.js';

export async function loadRules(ctx: PluginContext, workDate: string | null = null): Promise<RateRule[]> {
  return ctx.db.query<RateRule>(
    `select id, user_id as "userId", role, project_id as "projectId", client, trim_scale(rate)::text as rate,
            currency, effective_from::text as "effectiveFrom", effective_to::text as "effectiveTo"
       from rates where $1::date is null or (effective_from <= $1 and (effective_to is null or effective_to >= $1))`,
    [workDate],
  );
}

export async function roleOf(ctx: PluginContext, userId: string): Promise<string | null> {
  const row = await ctx.db.one<{ role: string | null }>('select role from people where user_id = $1', [
    userId,
  ]);
  return row?.role ?? null;
}
