// The kernel's own events. `kernel.plugin.changed` is how the plugin host tells every instance that
// a tenant's plugin set changed (install, upgrade, rollback, disable, removal), so each reloads its
// routing map for that tenant without a restart (DESIGN decision 7).
import type { EventDefinition } from './registry.js';

export const KERNEL_EVENTS = {
  'plugin.changed': {
    broadcast: true,
    description: 'A tenant installed, upgraded, rolled back, enabled, disabled or removed a plugin',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['tenantId', 'plugin', 'version', 'action'],
      properties: {
        tenantId: { type: 'string', format: 'uuid' },
        plugin: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
        version: { type: 'string', minLength: 1, maxLength: 100 },
        action: {
          type: 'string',
          enum: ['installed', 'upgraded', 'rolled-back', 'enabled', 'disabled', 'removed'],
        },
      },
    },
  },
} as const satisfies Record<string, EventDefinition>;
