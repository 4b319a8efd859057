export { EventBus } from './bus.js';
export { EventError, type SchemaError } from './errors.js';
export { KERNEL_EVENTS } from './kernel-events.js';
export { BUS_PERMISSIONS } from './permissions.js';
export { type EventDefinition, EventRegistry, type EventType, type JsonSchema } from './registry.js';
export type { ReplayRequest, ReplayResult } from './replay.js';
export { eventRoutes } from './routes.js';
export type {
  BroadcastListener,
  BusSettings,
  EventEnvelope,
  EventHandler,
  PublishedEvent,
  SubscriptionSpec,
} from './types.js';
