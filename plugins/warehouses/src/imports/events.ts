// The answers warehouses gives the integrations plugin's importer: per batch, which rows became
// which record and which were refused (field and why); per rollback, what was removed or why not;
// per export request, its pages. The import answers' payloads are the SDK's (the protocol).
import { importAnswerEvents, schema } from '@erp/sdk';

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

export const importEvents = { ...importAnswerEvents, 'export.page': ExportPage };
