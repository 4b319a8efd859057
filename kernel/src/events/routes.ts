// /api/v1/events: a tenant admin's view of the bus: its events, the subscribers, the dead letters
// (with replay), and replaying past events to one subscriber to rebuild a projection.
import { badRequest, defineRoute, notFound, Problem, schemas } from '../http/index.js';
import type { EventBus } from './bus.js';
import * as s from './schemas.js';

type Cradle = { events: EventBus };

export const eventRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/events',
    access: { permission: 'kernel.events.read' },
    summary: 'List the tenant\u2019s events in publication order',
    tags: ['events'],
    query: s.eventListQuery,
    response: s.eventList,
    handler: async ({ sql, query }) => ({
      items: await sql.query(
        `select id, seq::text as sequence, subject as type, payload, created_at as "publishedAt",
                relayed_at as "relayedAt"
           from erp.event_outbox
          where tenant_id = $1 and ($2::bigint is null or seq > $2) and ($3::text is null or subject = $3)
          order by seq limit $4`,
        [sql.tenantId, query.afterSequence ?? null, query.type ?? null, query.limit],
      ),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/events/subscribers',
    access: { permission: 'kernel.events.read' },
    summary: 'List durable subscribers and the tenant\u2019s deliveries queued for each',
    tags: ['events'],
    response: s.subscriberList,
    handler: async ({ sql }) => ({
      items: await sql.query(
        `select s.key, s.plugin, s.subscription, s.subject,
                (select count(*) from erp.event_deliveries d where d.tenant_id = $1 and d.subscriber = s.key)::int
                  as pending
           from erp.event_subscribers s order by s.key`,
        [sql.tenantId],
      ),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/events/dead-letters',
    access: { permission: 'kernel.events.read' },
    summary: 'List events whose delivery to a subscriber failed its last try',
    tags: ['events'],
    query: s.deadLetterQuery,
    response: s.deadLetterList,
    handler: async ({ sql, query, scope }) => ({
      items: await (scope.cradle as Cradle).events.listDeadLetters(sql, query),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/events/dead-letters/:id/replay',
    access: { permission: 'kernel.events.replay' },
    summary: 'Deliver a dead-lettered event to its subscriber again',
    tags: ['events'],
    params: schemas.idParams,
    body: schemas.noBody,
    response: schemas.queuedResult,
    status: 202,
    handler: async ({ sql, params, scope }) => {
      const result = await (scope.cradle as Cradle).events.replayDeadLetter(sql, params.id);
      if (result === 'not-found') throw notFound('Dead letter');
      if (result === 'already-replayed') {
        throw new Problem(409, 'ERP_DEAD_LETTER_REPLAYED', 'Already replayed', {
          detail: 'This dead letter was already replayed; if it failed again it is listed anew.',
        });
      }
      if (result === 'subscriber-gone') {
        throw new Problem(409, 'ERP_SUBSCRIBER_UNKNOWN', 'Subscriber no longer exists', {
          detail: 'The subscriber of this dead letter was removed.',
        });
      }
      return { status: 'queued' };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/events/replay',
    access: { permission: 'kernel.events.replay' },
    summary: 'Re-deliver the tenant\u2019s past events, from a sequence or a time, to one subscriber',
    tags: ['events'],
    body: s.replayBody,
    response: s.replayResult,
    status: 202,
    handler: async ({ sql, body, scope }) => {
      if (body.fromSequence === undefined && body.fromTime === undefined) {
        throw badRequest('ERP_VALIDATION', '/body/fromSequence', 'fromSequence or fromTime is required');
      }
      const result = await (scope.cradle as Cradle).events.replay(sql, body);
      if (!result) {
        throw new Problem(400, 'ERP_SUBSCRIBER_UNKNOWN', 'Invalid request', {
          detail: `/body/subscriber: no subscriber ${body.subscriber}`,
          errors: [
            { field: '/body/subscriber', message: 'is not a registered subscriber (plugin:subscription)' },
          ],
        });
      }
      return result;
    },
  }),
];
