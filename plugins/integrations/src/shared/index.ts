// What every concern of the plugin shares: refusals and schema fragments.
import type { PluginContext } from '@erp/sdk';

export { notFound, refuse } from './problems.js';

export type Ctx = PluginContext;

export const Uuid = { type: 'string', format: 'uuid' } as const;
export const DateTime = { type: 'string', format: 'date-time' } as const;
export const IdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const;
