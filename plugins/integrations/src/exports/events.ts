// The export protocol on the bus: integrations asks (export.requested); the target plugin answers
// <plugin>.export.page events of at most pageSize records, numbered from 0, the last one saying how
// many pages there are; integrations announces export.completed (webhook endpoints can listen).
import { schema } from '@erp/sdk';

export const ExportRequested = schema({
  type: 'object',
  additionalProperties: false,
  required: ['exportId', 'target', 'filter', 'pageSize'],
  properties: {
    exportId: { type: 'string', format: 'uuid' },
    target: { type: 'string' },
    filter: { type: 'object' },
    pageSize: { type: 'integer', minimum: 1, maximum: 5000 },
  },
} as const);

export const ExportCompleted = schema({
  type: 'object',
  additionalProperties: false,
  required: ['exportId', 'target', 'format', 'rows', 'chunks', 'scheduleId'],
  properties: {
    exportId: { type: 'string', format: 'uuid' },
    target: { type: 'string' },
    format: { type: 'string', enum: ['csv', 'ndjson', 'xlsx'] },
    rows: { type: 'integer', minimum: 0 },
    chunks: { type: 'integer', minimum: 0 },
    scheduleId: { type: ['string', 'null'] },
  },
} as const);

export const exportEvents = { 'export.requested': ExportRequested, 'export.completed': ExportCompleted };

export interface ExportPage {
  exportId: string;
  page: number;
  /** Set on the last page: how many pages the export has. */
  pages: number | null;
  rows: Record<string, unknown>[];
}
