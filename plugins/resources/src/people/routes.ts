// People as resources: a working-hours calendar (Monday … Sunday), a utilization target, skills.
import { type Json, type PluginRoute, route, schema } from '@erp/sdk';
import { Hours, Percent, refuse, Uuid } from '../shared/index.js';

const UserParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: Uuid },
} as const);

const SkillParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'skill'],
  properties: { userId: Uuid, skill: { type: 'string', minLength: 1, maxLength: 100 } },
} as const);

const Person = schema({
  type: 'object',
  additionalProperties: false,
  required: ['calendar'],
  properties: {
    name: { type: 'string', maxLength: 200 },
    calendar: {
      type: 'array',
      minItems: 7,
      maxItems: 7,
      items: Hours,
      description: 'Working hours Monday … Sunday',
    },
    targetPercent: { ...Percent, description: 'Target utilization, percent (default 80)' },
  },
} as const);

const Skill = schema({
  type: 'object',
  additionalProperties: false,
  required: ['level'],
  properties: { level: { type: 'integer', minimum: 1, maximum: 5 } },
} as const);

const PeopleQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    skill: { type: 'string', minLength: 1 },
    minLevel: { type: 'integer', minimum: 1, maximum: 5, default: 1 },
  },
} as const);

const COLUMNS = `p.user_id as "userId", p.name, array(select trim_scale(c)::text from unnest(p.calendar) c) as calendar,
  trim_scale(p.target_percent)::text as "targetPercent",
  coalesce((select json_agg(json_build_object('skill', s.skill, 'level', s.level) order by s.skill)
              from skills s where s.user_id = p.user_id), '[]') as skills`;

export const peopleRoutes: Record<string, PluginRoute> = {
  'GET /people': route({
    permission: 'resources.people.read',
    summary: 'People with calendars, targets and skills; ?skill=&minLevel= finds who has a skill',
    query: PeopleQuery,
    handler: async (ctx, { query }) => ({
      people: await ctx.db.query(
        `select ${COLUMNS} from people p
          where $1::text is null or exists (select 1 from skills s where s.user_id = p.user_id
                                              and lower(s.skill) = lower($1) and s.level >= $2)
          order by p.name nulls last, p.user_id`,
        [query.skill ?? null, query.minLevel ?? 1],
      ),
    }),
  }),
  'PUT /people/:userId': route({
    permission: 'resources.people.write',
    params: UserParams,
    body: Person,
    async handler(ctx, { params, body }) {
      await ctx.db.query(
        `insert into people (user_id, name, calendar, target_percent) values ($1, $2, $3::numeric[], coalesce($4::numeric, 80))
         on conflict (tenant_id, user_id) do update set name = excluded.name, calendar = excluded.calendar,
           target_percent = excluded.target_percent, updated_at = now()`,
        [params.userId, body.name ?? null, body.calendar as Json, body.targetPercent ?? null],
      );
      await ctx.audit.record({
        action: 'resources.person.set',
        resource: 'person',
        resourceId: params.userId,
        data: body as Json,
      });
      return ctx.db.one(`select ${COLUMNS} from people p where p.user_id = $1`, [params.userId]);
    },
  }),
  'PUT /people/:userId/skills/:skill': route({
    permission: 'resources.people.write',
    params: SkillParams,
    body: Skill,
    async handler(ctx, { params, body }) {
      const p = await ctx.db.one('select 1 from people where user_id = $1', [params.userId]);
      if (!p)
        refuse(
          404,
          'PERSON_NOT_FOUND',
          'Person not found',
          '/params/userId',
          'set the person’s calendar first',
        );
      await ctx.db.query(
        `insert into skills (user_id, skill, level) values ($1, $2, $3)
         on conflict (tenant_id, user_id, skill) do update set level = excluded.level`,
        [params.userId, params.skill, body.level],
      );
      await ctx.audit.record({
        action: 'resources.skill.set',
        resource: 'person',
        resourceId: params.userId,
        data: { ...params, ...body },
      });
      return { userId: params.userId, skill: params.skill, level: body.level };
    },
  }),
  'DELETE /people/:userId/skills/:skill': route({
    permission: 'resources.people.write',
    params: SkillParams,
    status: 204,
    async handler(ctx, { params }) {
      const gone = await ctx.db.one('delete from skills where user_id = $1 and skill = $2 returning 1', [
        params.userId,
        params.skill,
      ]);
      if (!gone)
        refuse(404, 'SKILL_NOT_FOUND', 'Skill not found', '/params/skill', 'the person does not have it');
      await ctx.audit.record({
        action: 'resources.skill.removed',
        resource: 'person',
        resourceId: params.userId,
        data: params,
      });
    },
  }),
};
