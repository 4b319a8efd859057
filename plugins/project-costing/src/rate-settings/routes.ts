// Cost rates per person or role with effective dates, people's roles, and exchange rates per date
// (units of the tenant's base currency per unit). A new rate re-tries the approved time that was
// waiting for one (see actuals/labour.ts).
import { type PluginRoute, route, schema } from '@erp/sdk';
import { bookWaiting } from '../actuals/index.js';
import { checkCostRate, checkCurrency, dec, ZERO } from '../engine/index.js';
import { costRates, exchangeRates } from '../rates/index.js';
import {
  Amount,
  baseCurrency,
  Currency,
  Day,
  engine,
  NullableUuid,
  refuseAt,
  Uuid,
} from '../shared/index.js';

const NewCostRate = schema({
  type: 'object',
  additionalProperties: false,
  required: ['rate', 'currency', 'effectiveFrom'],
  properties: {
    userId: NullableUuid,
    role: { type: ['string', 'null'], minLength: 1, maxLength: 60 },
    rate: { ...Amount, description: 'Cost per hour' },
    currency: Currency,
    effectiveFrom: Day,
    effectiveTo: { type: ['string', 'null'], format: 'date' },
  },
} as const);

const Person = schema({
  type: 'object',
  additionalProperties: false,
  required: ['role'],
  properties: { role: { type: 'string', minLength: 1, maxLength: 60 } },
} as const);

const NewExchangeRate = schema({
  type: 'object',
  additionalProperties: false,
  required: ['currency', 'on', 'rate'],
  properties: {
    currency: Currency,
    on: Day,
    rate: { ...Amount, description: 'Units of the base currency per one unit of currency' },
  },
} as const);

export const rateRoutes: Record<string, PluginRoute> = {
  'GET /cost-rates': route({
    permission: 'projects.projects.read',
    summary: 'Cost rates per person and role',
    async handler(ctx) {
      return { costRates: await costRates(ctx) };
    },
  }),
  'POST /cost-rates': route({
    permission: 'projects.rates.write',
    summary: 'Add a cost rate for a person or a role from an effective date',
    body: NewCostRate,
    status: 201,
    async handler(ctx, { body }) {
      const r = {
        userId: body.userId ?? null,
        role: body.role ?? null,
        rate: body.rate,
        currency: body.currency,
        effectiveFrom: body.effectiveFrom,
        effectiveTo: body.effectiveTo ?? null,
      };
      engine('/body/', () => checkCostRate(r));
      engine('/body/', () => checkCurrency(r.currency));
      const clash = await ctx.db.one(
        `select 1 from cost_rates where coalesce(user_id::text, '') = coalesce($1::text, '') and coalesce(role, '') = coalesce($2, '') and effective_from = $3`,
        [r.userId, r.role, r.effectiveFrom],
      );
      if (clash)
        refuseAt(
          409,
          'PROJECT_RATE_EXISTS',
          '/body/effectiveFrom',
          'a rate for this subject starts on this date already',
        );
      const [row] = await ctx.db.query(
        `insert into cost_rates (user_id, role, rate, currency, effective_from, effective_to) values ($1, $2, $3, $4, $5, $6)
         returning id, user_id as "userId", role, rate::text as rate, currency, effective_from::text as "effectiveFrom", effective_to::text as "effectiveTo"`,
        [r.userId, r.role, r.rate, r.currency, r.effectiveFrom, r.effectiveTo],
      );
      await ctx.audit.record({
        action: 'cost-rate.created',
        resource: 'cost-rate',
        resourceId: (row as { id: string }).id,
        data: body,
      });
      const costed = await bookWaiting(ctx);
      return { ...row, costedEntries: costed };
    },
  }),
  'PUT /people/:userId': route({
    permission: 'projects.rates.write',
    summary: 'Set a person’s role (whose cost rate applies without a rate of their own)',
    params: {
      type: 'object',
      additionalProperties: false,
      required: ['userId'],
      properties: { userId: Uuid },
    } as const,
    body: Person,
    async handler(ctx, { params, body }) {
      await ctx.db.query(
        'insert into people (user_id, role) values ($1, $2) on conflict (tenant_id, user_id) do update set role = excluded.role',
        [params.userId, body.role],
      );
      await ctx.audit.record({
        action: 'person.role',
        resource: 'person',
        resourceId: params.userId,
        data: body,
      });
      return { userId: params.userId, role: body.role, costedEntries: await bookWaiting(ctx) };
    },
  }),
  'GET /exchange-rates': route({
    permission: 'projects.projects.read',
    summary: 'Exchange rates per date against the base currency',
    async handler(ctx) {
      return { base: baseCurrency(ctx), rates: await exchangeRates(ctx) };
    },
  }),
  'POST /exchange-rates': route({
    permission: 'projects.rates.write',
    summary: 'Set the rate of a currency on a date (units of the base currency per unit)',
    body: NewExchangeRate,
    status: 201,
    async handler(ctx, { body }) {
      engine('/body/', () => checkCurrency(body.currency));
      if (body.currency === baseCurrency(ctx))
        refuseAt(
          422,
          'PROJECT_BASE_CURRENCY_RATE',
          '/body/currency',
          `${body.currency} is the base currency (rate 1)`,
        );
      if (dec(body.rate).eq(ZERO))
        refuseAt(422, 'PROJECT_INVALID_RATE', '/body/rate', 'must be greater than 0');
      await ctx.db.query(
        `insert into exchange_rates (currency, on_date, rate) values ($1, $2, $3)
         on conflict (tenant_id, currency, on_date) do update set rate = excluded.rate`,
        [body.currency, body.on, body.rate],
      );
      await ctx.audit.record({
        action: 'exchange-rate.set',
        resource: 'exchange-rate',
        resourceId: body.currency,
        data: body,
      });
      return { ...body, base: baseCurrency(ctx), costedEntries: await bookWaiting(ctx) };
    },
  }),
};
