// Webhooks: endpoints subscribed to event type patterns, signed deliveries with retries, ordering,
// a log, dead letters and replay.
export { webhookEvents } from './events.js';
export { fanOut } from './fanout.js';
export { pumpEndpoint } from './pump.js';
export { webhookRoutes } from './routes.js';
export { PUMP_JOB } from './schedule.js';
export { webhookConfigSchema } from './settings.js';
export { sweepEndpoints } from './sweep.js';
