// The answers warehouses gives the integrations plugin's importer: per batch, which rows became
// which record and which were refused (field and why); per rollback, what was removed or why not;
// per export request, its pages.
import { schema } from '@erp/sdk';

const Failed = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['row', 'field', 'message'],
    properties: { row: { type: 'integer' }, field: { type: 'string' }, message: { type: 'string' } },
  },
} as const;

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
    failed: Failed,
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

export const ExportPage = schema({
  type: 'object',
  additionalProperties: false,
  required: ['exportId', 'page', 'pages', 'rows'],
  properties: {
    exportId: { type: 'string', format: 'uuid' },
    page: { type: 'integer', minimum: 0 },
    pages: { type: ['integer', 'null'], minimum: 1 },
    rows: { type: 'array', maxItems: 5000, items: { type: 'object' } },
  },
} as const);

export const importEvents = {
  'import.applied': ImportApplied,
  'import.rolled-back': ImportRolledBack,
  'export.page': ExportPage,
};
