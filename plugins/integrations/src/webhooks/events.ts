// What this plugin publishes: an endpoint was disabled because it kept failing. Subscribers (and
// webhook endpoints listening to integrations.*) tell the admin; the audit log has it too.
import { schema } from '@erp/sdk';

export const EndpointDisabled = schema({
  type: 'object',
  additionalProperties: false,
  required: ['endpointId', 'url', 'reason', 'failureStreak', 'disabledAt'],
  properties: {
    endpointId: { type: 'string', format: 'uuid' },
    url: { type: 'string' },
    reason: { type: 'string' },
    failureStreak: { type: 'integer', minimum: 1 },
    disabledAt: { type: 'string', format: 'date-time' },
  },
} as const);

export const webhookEvents = { 'endpoint.disabled': EndpointDisabled };
