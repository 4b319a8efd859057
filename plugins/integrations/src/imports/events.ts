// The import protocol on the bus. integrations publishes the rows (import.batch) and rollback
// requests (import.rollback); the target plugin answers <plugin>.import.applied and
// <plugin>.import.rolled-back, whose payloads have the shapes below.
import { schema } from '@erp/sdk';

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

export const importEvents = { 'import.batch': ImportBatch, 'import.rollback': ImportRollback };

/** What a target plugin answers for one batch (its <plugin>.import.applied payload). */
export interface ImportApplied {
  importId: string;
  target: string;
  batch: number;
  applied: { row: number; id: string }[];
  failed: { row: number; field: string; message: string }[];
}

/** What a target plugin answers for a rollback (its <plugin>.import.rolled-back payload). */
export interface ImportRolledBack {
  importId: string;
  target: string;
  removed: number;
  blocked: { id: string; reason: string }[];
}
