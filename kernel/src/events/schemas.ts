// JSON schemas of the events administration routes.
import { schemas } from '../http/index.js';

const sequence = { type: 'string', pattern: '^[0-9]{1,19}$' } as const;

export const eventListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    afterSequence: sequence,
    type: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export const eventItem = {
  type: 'object',
  required: ['id', 'sequence', 'type', 'payload', 'publishedAt'],
  properties: {
    id: schemas.uuid,
    sequence: { type: 'string' },
    type: { type: 'string' },
    payload: {},
    publishedAt: schemas.dateTime,
    relayedAt: schemas.nullableDateTime,
  },
} as const;

export const eventList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: eventItem } },
} as const;

export const subscriberList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'plugin', 'subscription', 'subject'],
        properties: {
          key: { type: 'string' },
          plugin: { type: 'string' },
          subscription: { type: 'string' },
          subject: { type: 'string' },
          pending: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const deadLetterQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    subscriber: { type: 'string', maxLength: 200 },
    includeReplayed: { type: 'boolean', default: false },
    ...schemas.pageQuery.properties,
  },
} as const;

export const deadLetterList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'subscriber', 'eventId', 'type', 'sequence', 'attempts', 'error', 'failedAt'],
        properties: {
          id: schemas.uuid,
          subscriber: { type: 'string' },
          eventId: schemas.uuid,
          type: { type: 'string' },
          sequence: { type: 'string' },
          payload: {},
          replay: { type: ['string', 'null'] },
          attempts: { type: 'integer' },
          error: { type: 'string' },
          failedAt: schemas.dateTime,
          replayedAt: schemas.nullableDateTime,
        },
      },
    },
  },
} as const;

export const replayBody = {
  type: 'object',
  additionalProperties: false,
  required: ['subscriber'],
  properties: {
    subscriber: { type: 'string', minLength: 3, maxLength: 200 },
    fromSequence: sequence,
    fromTime: schemas.dateTime,
    toSequence: sequence,
  },
} as const;

export const replayResult = {
  type: 'object',
  required: ['replayId', 'events'],
  properties: {
    replayId: schemas.uuid,
    events: { type: 'integer' },
    lastSequence: { type: ['string', 'null'] },
  },
} as const;
