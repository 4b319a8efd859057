// The import protocol on the bus, between the integrations plugin and every plugin whose manifest
// declares import targets (`erp.imports`): integrations publishes rows (`integrations.import.batch`)
// and rollback requests (`integrations.import.rollback`); the target plugin answers
// `<its id>.import.applied` and `<its id>.import.rolled-back`. Both sides declare and read these
// payloads from here, so the contract is written once.
import { type Infer, schema } from '../plugin/index.js';

export const ImportBatch = schema({
  type: 'object',
  additionalProperties: false,
  required: ['importId', 'target', 'mode', 'batch', 'rows'],
  properties: {
    importId: { type: 'string', format: 'uuid' },
    target: { type: 'string' },
    mode: { type: 'string', enum: ['all', 'per-row'] },
    batch: { type: 'integer', minimum: 0 },
    rows: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['row', 'data'],
        properties: { row: { type: 'integer' }, data: { type: 'object' } },
      },
    },
  },
} as const);

export const ImportRollback = schema({
  type: 'object',
  additionalProperties: false,
  required: ['importId', 'target', 'ids'],
  properties: {
    importId: { type: 'string', format: 'uuid' },
    target: { type: 'string' },
    ids: { type: 'array', items: { type: 'string' } },
  },
} as const);

/** A target's answer for one batch: which rows became which record, which were refused and why. */
export const ImportApplied = schema({
  type: 'object',
  additionalProperties: false,
  required: ['importId', 'target', 'batch', 'applied', 'failed'],
  properties: {
    importId: { type: 'string', format: 'uuid' },
    target: { type: 'string' },
    batch: { type: 'integer', minimum: 0 },
    applied: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['row', 'id'],
        properties: { row: { type: 'integer' }, id: { type: 'string' } },
      },
    },
    failed: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['row', 'field', 'message'],
        properties: { row: { type: 'integer' }, field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const);

/** A target's answer for a rollback: how many records it removed, which it kept and why. */
export const ImportRolledBack = schema({
  type: 'object',
  additionalProperties: false,
  required: ['importId', 'target', 'removed', 'blocked'],
  properties: {
    importId: { type: 'string', format: 'uuid' },
    target: { type: 'string' },
    removed: { type: 'integer', minimum: 0 },
    blocked: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'reason'],
        properties: { id: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const);

/** The events integrations publishes (declared in its definePlugin `events`). */
export const importRequestEvents = { 'import.batch': ImportBatch, 'import.rollback': ImportRollback };
/** The events a target plugin publishes in answer (declared in its definePlugin `events`). */
export const importAnswerEvents = { 'import.applied': ImportApplied, 'import.rolled-back': ImportRolledBack };

export type ImportBatchPayload = Infer<typeof ImportBatch>;
export type ImportRollbackPayload = Infer<typeof ImportRollback>;
export type ImportAppliedPayload = Infer<typeof ImportApplied>;
export type ImportRolledBackPayload = Infer<typeof ImportRolledBack>;
