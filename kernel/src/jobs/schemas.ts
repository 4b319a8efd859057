// JSON schemas of the jobs administration routes.
import { schemas } from '../http/index.js';

export const jobListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['queued', 'running', 'failed'] },
    ...schemas.pageQuery.properties,
  },
} as const;

export const jobList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'job', 'status', 'attempts', 'maxAttempts', 'runAt', 'createdAt', 'updatedAt'],
        properties: {
          id: schemas.uuid,
          job: { type: 'string' },
          payload: {},
          status: { type: 'string', enum: ['queued', 'running', 'failed'] },
          attempts: { type: 'integer' },
          maxAttempts: { type: 'integer' },
          runAt: schemas.dateTime,
          lastError: { type: ['string', 'null'] },
          period: schemas.nullableDateTime,
          createdAt: schemas.dateTime,
          updatedAt: schemas.dateTime,
        },
      },
    },
  },
} as const;
