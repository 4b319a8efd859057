// Names on the bus. An event type is `<plugin>.<event>` (`warehouses.stock.received`,
// `kernel.plugin.changed`): the first token is the plugin that declares it. On the wire a subject
// also carries the namespace and the tenant (`erp.<tenantId>.warehouses.stock.received`), so a
// consumer filters by type across tenants and an operator can follow one tenant.
import { EventError } from './errors.js';

export const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** Dot-separated lowercase tokens: `stock.received`. */
export const EVENT_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;
/** A subscription's or job's own name within its plugin. No underscore: see durableName. */
export const LOCAL_NAME = /^[a-z][a-z0-9.-]{0,99}$/;

export function checkPlugin(plugin: string): void {
  if (!PLUGIN_NAME.test(plugin)) {
    throw new EventError('ERP_EVENT_NAME_INVALID', `plugin name ${JSON.stringify(plugin)} is not valid`);
  }
}

/** Splits `plugin.event.name` at its first dot. */
export function splitType(type: string): { plugin: string; event: string } {
  const dot = type.indexOf('.');
  if (dot < 1)
    throw new EventError('ERP_EVENT_UNKNOWN', `event type ${JSON.stringify(type)} is not <plugin>.<event>`);
  return { plugin: type.slice(0, dot), event: type.slice(dot + 1) };
}

/** The NATS subject of one event of one tenant. */
export function wireSubject(namespace: string, tenantId: string, type: string): string {
  return `${namespace}.${tenantId}.${type}`;
}

/**
 * A subscription's subject that matches every declared event type (`events:subscribe:*` in the
 * manifest): for plugins that forward events they do not know in advance, like webhooks.
 */
export const ANY_EVENT = '*';

/** The NATS filter matching one event type (or, for ANY_EVENT, every type) in every tenant. */
export function wireFilter(namespace: string, type: string): string {
  return type === ANY_EVENT ? `${namespace}.*.>` : `${namespace}.*.${type}`;
}

/** `plugin:subscription`, the durable identity of a subscriber (inbox, dead letters, replay). */
export function subscriberKey(plugin: string, subscription: string): string {
  return `${plugin}:${subscription}`;
}

/**
 * A JetStream durable consumer name for a subscriber. Consumer names may not contain dots; plugin
 * and subscription names contain no underscore, so `__` and `_` keep the mapping one-to-one.
 */
export function durableName(plugin: string, subscription: string): string {
  return `${plugin}__${subscription.replaceAll('.', '_')}`;
}
