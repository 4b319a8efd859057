// The admin's webhook API: endpoints (URL, type patterns, ordering), secret rotation with an
// overlap, the delivery log with each attempt, dead letters, and replay one by one or by time range.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { type Ctx, DateTime, IdParams, notFound, refuse } from '../shared/index.js';
import { releaseHeld } from './held.js';
import { PATTERN } from './patterns.js';
import { schedulePump } from './schedule.js';
import { settingsOf } from './settings.js';
import { newSecret } from './signing.js';

const READ = 'integrations.webhooks.read';
const WRITE = 'integrations.webhooks.write';
const REPLAY = 'integrations.webhooks.replay';

const Url = { type: 'string', minLength: 8, maxLength: 2000 } as const;
const Patterns = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  uniqueItems: true,
  items: { type: 'string', maxLength: 200, pattern: PATTERN },
} as const;

const NewEndpoint = schema({
  type: 'object',
  additionalProperties: false,
  required: ['url', 'patterns'],
  properties: {
    url: Url,
    patterns: Patterns,
    description: { type: 'string', maxLength: 500 },
    ordered: { type: 'boolean', default: false },
  },
} as const);

const EndpointPatch = schema({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    url: Url,
    patterns: Patterns,
    description: { type: 'string', maxLength: 500 },
    ordered: { type: 'boolean' },
    enabled: { type: 'boolean' },
  },
} as const);

const Rotate = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    overlapSeconds: {
      type: 'integer',
      minimum: 0,
      maximum: 604_800,
      default: 86_400,
      description: 'How long the previous secret keeps signing next to the new one',
    },
  },
} as const);

const DeliveryQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['pending', 'delivered', 'dead', 'held'] },
    from: DateTime,
    to: DateTime,
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
  },
} as const);

const RangeReplay = schema({
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: DateTime,
    to: DateTime,
    status: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: ['delivered', 'dead'] },
      default: ['dead'],
      description: 'Which finished deliveries in the range to send again (dead letters by default)',
    },
  },
} as const);

const ENDPOINT_COLUMNS = `id, url, description, patterns, ordered, enabled, disabled_reason as "disabledReason",
  failure_streak as "failureStreak",
  (select count(*)::int from deliveries d where d.endpoint_id = endpoints.id and d.held) as "heldCount",
  held_dropped as "heldDropped", iso(created_at) as "createdAt", iso(updated_at) as "updatedAt"`;
const DELIVERY_COLUMNS = `id::text as id, endpoint_id as "endpointId", message_id as "messageId",
  event_id as "eventId", event_type as "eventType", event_seq::text as "eventSequence",
  case when held then 'held' else status end as status, attempts,
  round, iso(next_attempt_at) as "nextAttemptAt", last_error as "lastError", iso(created_at) as "createdAt",
  iso(updated_at) as "updatedAt"`;

function checkUrl(ctx: Ctx, url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    refuse(422, 'URL_INVALID', 'Invalid endpoint URL', '/body/url', 'is not an absolute URL');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && settingsOf(ctx).allowHttp))
    refuse(
      422,
      'URL_NOT_HTTPS',
      'Endpoint must use https',
      '/body/url',
      `must be an https URL, not ${u.protocol}`,
    );
  if (u.username || u.password)
    refuse(422, 'URL_INVALID', 'Invalid endpoint URL', '/body/url', 'must not carry credentials');
}

async function findEndpoint(ctx: Ctx, id: string) {
  return (
    (await ctx.db.one(`select ${ENDPOINT_COLUMNS} from endpoints where id = $1`, [id])) ??
    notFound('Endpoint', '/params/id')
  );
}

/** Puts finished deliveries back in the queue as a new round; the same webhook-id is sent again. */
const REQUEUE = `status = 'pending', attempts = 0, round = round + 1, next_attempt_at = now(),
  last_error = null, updated_at = now()`;

export const webhookRoutes: Record<string, PluginRoute> = {
  'GET /endpoints': route({
    permission: READ,
    summary: 'List webhook endpoints',
    async handler(ctx) {
      return {
        endpoints: await ctx.db.query(`select ${ENDPOINT_COLUMNS} from endpoints order by created_at`),
      };
    },
  }),
  'GET /endpoints/:id': route({
    permission: READ,
    params: IdParams,
    async handler(ctx, { params }) {
      return findEndpoint(ctx, params.id);
    },
  }),
  'POST /endpoints': route({
    permission: WRITE,
    summary: 'Subscribe an endpoint to event types; answers its signing secret once',
    body: NewEndpoint,
    status: 201,
    async handler(ctx, { body }) {
      checkUrl(ctx, body.url);
      const created = await ctx.db.one<{ id: string }>(
        'insert into endpoints (url, patterns, description, ordered) values ($1, $2, $3, $4) returning id',
        [body.url, body.patterns, body.description ?? '', body.ordered ?? false],
      );
      const secret = newSecret();
      await ctx.db.query('insert into endpoint_secrets (endpoint_id, secret) values ($1, $2)', [
        created!.id,
        secret,
      ]);
      await ctx.audit.record({
        action: 'integrations.endpoint.created',
        resource: 'webhook-endpoint',
        resourceId: created!.id,
        data: { url: body.url, patterns: body.patterns },
      });
      return { ...(await findEndpoint(ctx, created!.id)), secret };
    },
  }),
  'PATCH /endpoints/:id': route({
    permission: WRITE,
    summary: 'Change an endpoint; enabling a disabled one resets its failure streak and resumes sending',
    params: IdParams,
    body: EndpointPatch,
    async handler(ctx, { params, body }) {
      await findEndpoint(ctx, params.id);
      if (body.url !== undefined) checkUrl(ctx, body.url);
      await ctx.db.query(
        `update endpoints set url = coalesce($2, url), patterns = coalesce($3, patterns),
            description = coalesce($4, description), ordered = coalesce($5, ordered),
            enabled = coalesce($6, enabled),
            disabled_reason = case when $6 then null else disabled_reason end,
            failure_streak = case when $6 then 0 else failure_streak end, updated_at = now()
          where id = $1`,
        [
          params.id,
          body.url ?? null,
          body.patterns ?? null,
          body.description ?? null,
          body.ordered ?? null,
          body.enabled ?? null,
        ],
      );
      // Enabling sends what was held while disabled, in event order.
      const held = body.enabled ? await releaseHeld(ctx, params.id) : null;
      if (body.enabled) await schedulePump(ctx, params.id, 0);
      await ctx.audit.record({
        action: 'integrations.endpoint.changed',
        resource: 'webhook-endpoint',
        resourceId: params.id,
        data: held
          ? { ...body, heldReleased: held.released, heldExpired: held.expired, heldDropped: held.dropped }
          : body,
      });
      return findEndpoint(ctx, params.id);
    },
  }),
  'DELETE /endpoints/:id': route({
    permission: WRITE,
    params: IdParams,
    status: 204,
    async handler(ctx, { params }) {
      await findEndpoint(ctx, params.id);
      await ctx.db.query('delete from endpoints where id = $1', [params.id]);
      await ctx.audit.record({
        action: 'integrations.endpoint.deleted',
        resource: 'webhook-endpoint',
        resourceId: params.id,
      });
      return null;
    },
  }),
  'POST /endpoints/:id/secret/rotate': route({
    permission: WRITE,
    summary: 'New signing secret; the previous one keeps signing too for the overlap',
    params: IdParams,
    body: Rotate,
    async handler(ctx, { params, body }) {
      await findEndpoint(ctx, params.id);
      const overlap = body.overlapSeconds ?? 86_400;
      await ctx.db.query(
        `update endpoint_secrets set expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => $2))
          where endpoint_id = $1`,
        [params.id, overlap],
      );
      const secret = newSecret();
      await ctx.db.query('insert into endpoint_secrets (endpoint_id, secret) values ($1, $2)', [
        params.id,
        secret,
      ]);
      await ctx.audit.record({
        action: 'integrations.endpoint.secret-rotated',
        resource: 'webhook-endpoint',
        resourceId: params.id,
        data: { overlapSeconds: overlap },
      });
      return { secret, previousValidForSeconds: overlap };
    },
  }),
  'GET /endpoints/:id/deliveries': route({
    permission: READ,
    summary: 'The delivery log of an endpoint (status=dead: its dead letters)',
    params: IdParams,
    query: DeliveryQuery,
    async handler(ctx, { params, query }) {
      await findEndpoint(ctx, params.id);
      const deliveries = await ctx.db.query(
        `select ${DELIVERY_COLUMNS} from deliveries where endpoint_id = $1
            and ($2::text is null or (case when held then 'held' else status end) = $2) and ($3::timestamptz is null or created_at >= $3)
            and ($4::timestamptz is null or created_at < $4)
          order by event_seq, id limit $5`,
        [params.id, query.status ?? null, query.from ?? null, query.to ?? null, query.limit ?? 200],
      );
      return { deliveries };
    },
  }),
  'GET /deliveries/:id': route({
    permission: READ,
    summary: 'One delivery with every attempt: request headers, status, latency, error',
    params: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,17}$' } },
    },
    async handler(ctx, { params }) {
      const d = await ctx.db.one(`select ${DELIVERY_COLUMNS}, body from deliveries where id = $1`, [
        params.id,
      ]);
      if (!d) notFound('Delivery', '/params/id');
      const attempts = await ctx.db.query(
        `select round, attempt, request_headers as "requestHeaders", status, latency_ms as "latencyMs",
                response_excerpt as "responseExcerpt", error, iso(created_at) as "at"
           from delivery_attempts where delivery_id = $1 order by id`,
        [params.id],
      );
      return { ...d, attempts };
    },
  }),
  'POST /deliveries/:id/replay': route({
    permission: REPLAY,
    summary: 'Send a finished delivery again (a new round, freshly signed, same webhook-id)',
    params: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,17}$' } },
    },
    status: 202,
    async handler(ctx, { params }) {
      const d = await ctx.db.one<{ endpointId: string; status: string }>(
        `select endpoint_id as "endpointId", case when held then 'held' else status end as status
           from deliveries where id = $1`,
        [params.id],
      );
      if (!d) notFound('Delivery', '/params/id');
      if (d.status === 'pending' || d.status === 'held')
        refuse(
          409,
          'DELIVERY_PENDING',
          'Delivery still pending',
          '/params/id',
          `is still ${d.status === 'held' ? 'held for its disabled endpoint' : 'being delivered'}`,
        );
      await ctx.db.query(`update deliveries set ${REQUEUE} where id = $1`, [params.id]);
      await schedulePump(ctx, d.endpointId, 0);
      return ctx.db.one(`select ${DELIVERY_COLUMNS} from deliveries where id = $1`, [params.id]);
    },
  }),
  'POST /endpoints/:id/replay': route({
    permission: REPLAY,
    summary: 'Send again the finished deliveries created in [from, to) (dead letters by default)',
    params: IdParams,
    body: RangeReplay,
    status: 202,
    async handler(ctx, { params, body }) {
      await findEndpoint(ctx, params.id);
      if (Date.parse(body.from) >= Date.parse(body.to))
        refuse(422, 'RANGE_INVALID', 'Empty time range', '/body/to', 'must be after from');
      const rows = await ctx.db.query(
        `update deliveries set ${REQUEUE}
          where endpoint_id = $1 and created_at >= $2 and created_at < $3 and status = any($4::text[])
          returning id`,
        [params.id, body.from, body.to, body.status ?? ['dead']],
      );
      if (rows.length) await schedulePump(ctx, params.id, 0);
      return { replayed: rows.length };
    },
  }),
};
