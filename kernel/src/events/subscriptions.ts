// The subscriptions this instance serves, and their durable record in erp.event_subscribers.
// The record outlives the process: the embedded bus keeps fanning events out to a subscriber while
// its instances are down, exactly as a JetStream durable consumer keeps collecting them.

import type { WorkerTx } from '../workers/index.js';
import { EventError } from './errors.js';
import { ANY_EVENT, checkPlugin, LOCAL_NAME, subscriberKey } from './names.js';
import type { EventRegistry } from './registry.js';
import type { SubscriptionSpec } from './types.js';

export interface Subscription extends SubscriptionSpec {
  key: string;
  maxAttempts: number;
}

export class Subscriptions {
  private readonly byKey = new Map<string, Subscription>();

  constructor(
    private readonly registry: EventRegistry,
    private readonly workerTx: WorkerTx,
    private readonly defaultMaxAttempts: number,
  ) {}

  /** Validates a spec: names, a declared subject, no second handler for the same subscription. */
  check(spec: SubscriptionSpec): Subscription {
    checkPlugin(spec.plugin);
    if (!LOCAL_NAME.test(spec.name)) {
      throw new EventError(
        'ERP_SUBSCRIPTION_INVALID',
        `subscription name ${JSON.stringify(spec.name)} of ${spec.plugin} must be lowercase letters, digits, dots or dashes`,
      );
    }
    if (spec.subject !== ANY_EVENT && !this.registry.get(spec.subject)) {
      throw new EventError(
        'ERP_SUBSCRIPTION_SUBJECT_UNDECLARED',
        `${spec.plugin} cannot subscribe to ${JSON.stringify(spec.subject)}: no plugin declares that event type`,
      );
    }
    if (typeof spec.handler !== 'function') {
      throw new EventError(
        'ERP_SUBSCRIPTION_INVALID',
        `subscription ${spec.plugin}:${spec.name} has no handler`,
      );
    }
    const key = subscriberKey(spec.plugin, spec.name);
    if (this.byKey.has(key)) {
      throw new EventError(
        'ERP_SUBSCRIPTION_EXISTS',
        `subscription ${key} is already registered in this instance`,
      );
    }
    const maxAttempts = spec.maxAttempts ?? this.defaultMaxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
      throw new EventError(
        'ERP_SUBSCRIPTION_INVALID',
        `maxAttempts of ${key} must be an integer from 1 to 100`,
      );
    }
    return { ...spec, key, maxAttempts };
  }

  /** Records the subscription durably, then serves it here. */
  async add(sub: Subscription): Promise<void> {
    await this.workerTx.run((sql) =>
      sql.query(
        `insert into erp.event_subscribers (key, plugin, subscription, subject) values ($1, $2, $3, $4)
       on conflict (key) do update set subject = excluded.subject, seen_at = now()`,
        [sub.key, sub.plugin, sub.name, sub.subject],
      ),
    );
    this.byKey.set(sub.key, sub);
  }

  /** Stops serving it here; with forget, also drops its durable record and pending deliveries. */
  async remove(key: string, forget: boolean): Promise<Subscription | undefined> {
    const sub = this.byKey.get(key);
    this.byKey.delete(key);
    if (forget) {
      await this.workerTx.run(async (sql) => {
        await sql.query('delete from erp.event_deliveries where subscriber = $1', [key]);
        await sql.query('delete from erp.event_subscribers where key = $1', [key]);
      });
    }
    return sub;
  }

  get(key: string): Subscription | undefined {
    return this.byKey.get(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  all(): Subscription[] {
    return [...this.byKey.values()];
  }
}
