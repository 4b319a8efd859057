// A person's job role (what bill rates may name), set by whoever manages rates.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { Uuid } from '../shared/index.js';

const Params = schema({
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: Uuid },
} as const);

const Person = schema({
  type: 'object',
  additionalProperties: false,
  required: ['role'],
  properties: { role: { type: ['string', 'null'], minLength: 1, maxLength: 100 } },
} as const);

export const peopleRoutes: Record<string, PluginRoute> = {
  'GET /people': route({
    permission: 'time.rates.read',
    handler: async (ctx) => ({
      people: await ctx.db.query('select user_id as "userId", role from people order by user_id'),
    }),
  }),
  'PUT /people/:userId': route({
    permission: 'time.people.write',
    params: Params,
    body: Person,
    async handler(ctx, { params, body }) {
      await ctx.db.query(
        `insert into people (user_id, role) values ($1, $2)
         on conflict (tenant_id, user_id) do update set role = excluded.role, updated_at = now()`,
        [params.userId, body.role],
      );
      await ctx.audit.record({
        action: 'time.person.role-set',
        resource: 'person',
        resourceId: params.userId,
        data: body,
      });
      return { userId: params.userId, role: body.role };
    },
  }),
};
