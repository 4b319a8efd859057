// Bill rates: created with an effective date (required) and optionally an end date, never edited
// (history stays as it was billed); a rate is ended by giving it an end date. Two rates on the
// same dimensions starting the same day would leave the winner to chance: refused.
import { type Json, type PluginContext, type PluginRoute, route, schema } from '@erp/sdk';
import { DateOnly, IdParams, notFound, RATE_PATTERN, refuse, Uuid } from '../shared/index.js';
import { resolveRate } from './resolve.js';
import { loadRules, roleOf } from './store.js';

const NewRate = schema({
  type: 'object',
  additionalProperties: false,
  required: ['rate', 'currency', 'effectiveFrom'],
  properties: {
    userId: Uuid,
    role: { type: 'string', minLength: 1, maxLength: 100 },
    projectId: Uuid,
    client: { type: 'string', minLength: 1, maxLength: 200 },
    rate: { type: 'string', pattern: RATE_PATTERN, description: 'Price of one hour, decimal string' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    effectiveFrom: DateOnly,
    effectiveTo: DateOnly,
  },
} as const);

const EndRate = schema({
  type: 'object',
  additionalProperties: false,
  required: ['effectiveTo'],
  properties: { effectiveTo: DateOnly },
} as const);

const ResolveQuery = schema({
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'projectId', 'workDate'],
  properties: { userId: Uuid, projectId: Uuid, workDate: DateOnly },
} as const);

const COLUMNS = `id, user_id as "userId", role, project_id as "projectId", client, trim_scale(rate)::text as rate, currency,
  effective_from::text as "effectiveFrom", effective_to::text as "effectiveTo"`;

const endsBeforeStart = (): never =>
  refuse(
    422,
    'RATE_ENDS_BEFORE_START',
    'Ends before it starts',
    '/body/effectiveTo',
    'must not be before effectiveFrom',
  );

const readRate = (ctx: PluginContext, id: string) =>
  ctx.db.one(`select ${COLUMNS} from rates where id = $1`, [id]);

export const rateRoutes: Record<string, PluginRoute> = {
  'GET /rates': route({
    permission: 'time.rates.read',
    handler: async (ctx) => ({
      rates: await ctx.db.query(`select ${COLUMNS} from rates order by effective_from, id`),
    }),
  }),
  'POST /rates': route({
    permission: 'time.rates.write',
    summary: 'Add a bill rate for a client, project, role and/or person from an effective date',
    body: NewRate,
    status: 201,
    async handler(ctx, { body }) {
      if (body.effectiveTo && body.effectiveTo < body.effectiveFrom) endsBeforeStart();
      const same = await ctx.db.one<{ id: string }>(
        `select id from rates where user_id is not distinct from $1 and role is not distinct from $2
            and project_id is not distinct from $3 and client is not distinct from $4 and effective_from = $5`,
        [
          body.userId ?? null,
          body.role ?? null,
          body.projectId ?? null,
          body.client ?? null,
          body.effectiveFrom,
        ],
      );
      if (same)
        refuse(
          409,
          'RATE_DUPLICATE',
          'Rate already starts that day',
          '/body/effectiveFrom',
          `rate ${same.id} has the same dimensions and date`,
        );
      const row = await ctx.db.one<{ id: string }>(
        `insert into rates (user_id, role, project_id, client, rate, currency, effective_from, effective_to, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
        [
          body.userId ?? null,
          body.role ?? null,
          body.projectId ?? null,
          body.client ?? null,
          body.rate,
          body.currency,
          body.effectiveFrom,
          body.effectiveTo ?? null,
          ctx.user.id,
        ] as Json[],
      );
      await ctx.audit.record({
        action: 'time.rate.created',
        resource: 'rate',
        resourceId: row!.id,
        data: body as Json,
      });
      return readRate(ctx, row!.id);
    },
  }),
  'POST /rates/:id/end': route({
    permission: 'time.rates.write',
    summary: 'End a rate on a date (inclusive)',
    params: IdParams,
    body: EndRate,
    async handler(ctx, { params, body }) {
      const r = await ctx.db.one<{ effectiveFrom: string }>(
        'select effective_from::text as "effectiveFrom" from rates where id = $1 for update',
        [params.id],
      );
      if (!r) notFound('Rate');
      if (body.effectiveTo < r.effectiveFrom) endsBeforeStart();
      await ctx.db.query('update rates set effective_to = $2 where id = $1', [params.id, body.effectiveTo]);
      await ctx.audit.record({
        action: 'time.rate.ended',
        resource: 'rate',
        resourceId: params.id,
        data: body as Json,
      });
      return readRate(ctx, params.id);
    },
  }),
  'GET /rates/resolve': route({
    permission: 'time.rates.read',
    summary: 'The rate that applies to a person on a project on a date, and why',
    query: ResolveQuery,
    async handler(ctx, { query }) {
      const project = await ctx.db.one<{ client: string | null }>(
        'select client from projects where id = $1',
        [query.projectId],
      );
      if (!project) refuse(422, 'PROJECT_UNKNOWN', 'Unknown project', '/query/projectId', 'no such project');
      const role = await roleOf(ctx, query.userId);
      const hit = resolveRate(await loadRules(ctx, query.workDate), {
        ...query,
        role,
        client: project.client,
      });
      return {
        role,
        client: project.client,
        rate: hit?.rule ?? null,
        matchedOn: hit?.matchedOn ?? [],
        specificity: hit?.specificity ?? null,
      };
    },
  }),
};
