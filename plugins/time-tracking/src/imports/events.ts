// The answers of the integrations import protocol (time-tracking as the target
// time-tracking.entries): which rows of a batch became draft entries, which were refused and why;
// and what a rollback removed or found in use.
import { schema } from '@erp/sdk';

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

export const importEvents = { 'import.applied': ImportApplied, 'import.rolled-back': ImportRolledBack };
