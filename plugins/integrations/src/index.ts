// Integrations: webhooks to the tenant's own endpoints for the events of its installed plugins,
// signed per Standard Webhooks, retried with backoff, ordered on request, logged, dead-lettered
// and replayable. (Import, export and OAuth apps: see the README's "Not done yet".)
import { definePlugin } from '@erp/sdk';
import {
  fanOut,
  PUMP_JOB,
  pumpEndpoint,
  sweepEndpoints,
  webhookConfigSchema,
  webhookEvents,
  webhookRoutes,
} from './webhooks/index.js';

export default definePlugin({
  events: webhookEvents,
  routes: { ...webhookRoutes },
  subscriptions: {
    // Every event type of the tenant's installed plugins (events:subscribe:* in the manifest).
    'webhooks.fan-out': { event: '*', handler: fanOut },
  },
  jobs: {
    [PUMP_JOB]: {
      async handler(ctx, payload) {
        await pumpEndpoint(ctx, (payload as { endpointId: string }).endpointId);
      },
    },
    'webhook-sweep': { cron: '* * * * *', handler: sweepEndpoints },
  },
  configSchema: webhookConfigSchema,
});
