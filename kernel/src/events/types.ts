// What subscribers receive and register. The plugin host wraps these into ctx.events.publish and
// the plugin's `subscriptions`; kernel code uses them directly.
import type { Sql } from '../tenancy/index.js';

export interface EventEnvelope<P = unknown> {
  /** The event id (outbox id, JetStream message id): the same on every delivery of the event. */
  id: string;
  /** Per-database order of publication, as a decimal string; replay ranges use it. */
  sequence: string;
  /** `<plugin>.<event>`, e.g. `warehouses.stock.received`. */
  type: string;
  tenantId: string;
  payload: P;
  publishedAt: string;
  /** The replay this delivery belongs to, or null for the live stream. */
  replay: string | null;
  /** 1 on the first try. */
  attempt: number;
  /** W3C traceparent of the span that wrote the event (kernel-internal: plugins never see it). */
  traceparent?: string | null;
}

/**
 * Runs in its own transaction in the event's tenant. Its writes commit together with the inbox
 * row that marks the event handled, so a second delivery of the same event changes nothing.
 */
export type EventHandler = (sql: Sql, event: EventEnvelope) => Promise<void>;

export interface SubscriptionSpec {
  plugin: string;
  /** The subscription's name within the plugin; with the plugin it names the durable consumer. */
  name: string;
  /** The declared event type it listens to: `<plugin>.<event>`, or `*` for every type. */
  subject: string;
  handler: EventHandler;
  /** Tries before the event goes to the dead letters (default ERP_EVENTS_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

/** Delivered on every instance, at most once per instance, outside any transaction. */
export type BroadcastListener = (event: Omit<EventEnvelope, 'replay' | 'attempt'>) => void | Promise<void>;

export interface PublishedEvent {
  id: string;
  sequence: string;
  type: string;
}

export interface BusSettings {
  /** Set: JetStream mode. Unset: the embedded bus. */
  natsUrl?: string;
  namespace: string;
  /** Run the relay/router, dispatcher and consumers in this instance. */
  background: boolean;
  pollMs: number;
  concurrency: number;
  maxAttempts: number;
  leaseSeconds: number;
  retentionDays: number;
  retry: { baseMs: number; maxMs: number };
  /** A name for this instance in logs and NATS connection names. */
  instance: string;
}
