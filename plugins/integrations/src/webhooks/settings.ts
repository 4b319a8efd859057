// The tenant's webhook settings (ctx.config, validated against configSchema) with their defaults.
import { schema } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';

export const webhookConfigSchema = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    maxAttempts: {
      type: 'integer',
      minimum: 1,
      maximum: 30,
      default: 8,
      description: 'Attempts per delivery before it goes to the dead letters',
    },
    initialDelayMs: {
      type: 'integer',
      minimum: 10,
      maximum: 3_600_000,
      default: 5_000,
      description: 'First retry delay; later ones grow exponentially with jitter',
    },
    maxDelayMs: {
      type: 'integer',
      minimum: 10,
      maximum: 86_400_000,
      default: 3_600_000,
      description: 'Longest delay between two attempts',
    },
    disableAfterFailures: {
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      default: 40,
      description: 'Consecutive failed attempts after which an endpoint is disabled and the admin told',
    },
    orderSettleMs: {
      type: 'integer',
      minimum: 0,
      maximum: 60_000,
      default: 1_000,
      description:
        'Ordered endpoints: how long a delivery waits before it is sent, so events the bus handed over concurrently are sent in publication order',
    },
    maxHeldDeliveries: {
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000,
      default: 10_000,
      description:
        'Events kept per disabled endpoint, sent when it is enabled again; beyond this they are counted as dropped',
    },
    heldRetentionSeconds: {
      type: 'integer',
      minimum: 1,
      maximum: 31_536_000,
      default: 259_200,
      description: 'How long a held event waits for its endpoint to be enabled before it expires (72 h)',
    },
    allowHttp: {
      type: 'boolean',
      default: false,
      description: 'Accept plain http:// endpoints (tests, private networks); otherwise https only',
    },
  },
} as const);

export interface WebhookSettings {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  disableAfterFailures: number;
  orderSettleMs: number;
  allowHttp: boolean;
  maxHeldDeliveries: number;
  heldRetentionSeconds: number;
}

export function settingsOf(ctx: Ctx): WebhookSettings {
  const c = ctx.config as Partial<WebhookSettings>;
  return {
    maxAttempts: c.maxAttempts ?? 8,
    initialDelayMs: c.initialDelayMs ?? 5_000,
    maxDelayMs: c.maxDelayMs ?? 3_600_000,
    disableAfterFailures: c.disableAfterFailures ?? 40,
    orderSettleMs: c.orderSettleMs ?? 1_000,
    allowHttp: c.allowHttp ?? false,
    maxHeldDeliveries: c.maxHeldDeliveries ?? 10_000,
    heldRetentionSeconds: c.heldRetentionSeconds ?? 259_200,
  };
}
