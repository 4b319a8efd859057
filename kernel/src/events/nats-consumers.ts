// Durable JetStream pull consumers, one per (plugin, subscription), shared by every instance that
// serves the subscription (the server hands each message to one of them). A message is acked only
// after the handler's transaction committed; a failed try is nak'ed with a backoff delay; after
// the subscription's last try the message is recorded as a dead letter and terminated. The server
// itself never gives up on a message (max_deliver -1): a dead letter that could not be recorded
// (database down) is retried rather than dropped.
import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { TenantTx } from '../tenancy/index.js';
import { backoffMs, errorText, InFlight, isTransient, retryTransient } from '../workers/index.js';
import { recordDeadLetter } from './dead-letters.js';
import { deliverOnce } from './deliver.js';
import { durableName, wireFilter } from './names.js';
import type { NatsLink } from './nats-link.js';
import type { Subscription } from './subscriptions.js';
import type { BusSettings, EventEnvelope } from './types.js';

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

interface Running {
  messages: ConsumerMessages;
  done: Promise<void>;
}

export class NatsConsumers {
  private readonly running = new Map<string, Running>();
  private readonly inFlight = new InFlight();

  constructor(
    private readonly link: NatsLink,
    private readonly tenantTx: TenantTx,
    private readonly settings: BusSettings,
    private readonly log: Log,
  ) {}

  /** Creates the durable consumer if needed (new subscribers start with the next event). */
  async ensure(sub: Subscription): Promise<void> {
    const name = durableName(sub.plugin, sub.name);
    const config = {
      durable_name: name,
      filter_subject: wireFilter(this.link.namespace, sub.subject),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: nanos(this.settings.leaseSeconds * 1000),
      max_deliver: -1,
      max_ack_pending: 10_000,
    };
    try {
      await this.link.jsm.consumers.info(this.link.eventsStream, name);
      await this.link.jsm.consumers.update(this.link.eventsStream, name, {
        filter_subject: config.filter_subject,
        ack_wait: config.ack_wait,
        max_ack_pending: config.max_ack_pending,
      });
    } catch (err) {
      if (!/not found/i.test((err as Error).message)) throw err;
      await this.link.jsm.consumers.add(this.link.eventsStream, config);
    }
  }

  async start(sub: Subscription): Promise<void> {
    if (this.running.has(sub.key)) return;
    await this.ensure(sub);
    const consumer = await this.link.js.consumers.get(
      this.link.eventsStream,
      durableName(sub.plugin, sub.name),
    );
    const limit = this.settings.concurrency;
    const messages = await consumer.consume({ max_messages: limit * 4 });
    const done = this.run(sub, messages, limit);
    this.running.set(sub.key, { messages, done });
  }

  private async run(sub: Subscription, messages: ConsumerMessages, limit: number): Promise<void> {
    const slots = new Set<Promise<void>>();
    try {
      for await (const m of messages) {
        while (slots.size >= limit) await Promise.race(slots);
        const p: Promise<void> = this.inFlight.track(this.handle(sub, m)).finally(() => slots.delete(p));
        slots.add(p);
      }
    } catch (err) {
      this.log.error({ err: errorText(err), subscriber: sub.key }, 'JetStream consumer stopped');
    }
  }

  private async handle(sub: Subscription, m: JsMsg): Promise<void> {
    let event: EventEnvelope;
    try {
      event = {
        ...m.json<Omit<EventEnvelope, 'replay' | 'attempt'>>(),
        replay: null,
        attempt: m.info.deliveryCount,
      };
    } catch {
      m.term();
      return;
    }
    // Long handlers keep their lease: the server waits ack_wait again after each "working".
    const keepAlive = setInterval(() => m.working(), (this.settings.leaseSeconds * 1000) / 3);
    try {
      await deliverOnce(this.tenantTx, sub, event);
      m.ack();
    } catch (err) {
      const attempt = m.info.deliveryCount;
      if (isTransient(err) || attempt < sub.maxAttempts) {
        m.nak(backoffMs(this.settings.retry, attempt));
        return;
      }
      try {
        const error = errorText(err);
        this.log.error({ err: error, subscriber: sub.key, event: event.id }, 'event dead-lettered');
        await retryTransient(
          () =>
            recordDeadLetter(this.tenantTx, {
              tenantId: event.tenantId,
              subscriber: sub.key,
              eventId: event.id,
              replay: '',
              attempts: attempt,
              error,
            }),
          this.settings.retry,
          (this.settings.leaseSeconds * 1000) / 2,
        );
        await this.link.publishDeadLetter(event, sub.key, error).catch((e) => {
          this.log.warn(
            { err: errorText(e) },
            'dead letter recorded but not copied to the dead-letter stream',
          );
        });
        m.term();
      } catch (again) {
        this.log.warn({ err: errorText(again) }, 'could not record a dead letter; the event is retried');
        m.nak(backoffMs(this.settings.retry, attempt));
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Stops consuming one subscription here; with forget, deletes its durable consumer. */
  async stop(key: string, forget: boolean, sub?: Subscription): Promise<void> {
    const r = this.running.get(key);
    this.running.delete(key);
    if (r) {
      await r.messages.close().catch(() => {});
      await r.done;
    }
    if (forget && sub) {
      await this.link.jsm.consumers
        .delete(this.link.eventsStream, durableName(sub.plugin, sub.name))
        .catch(() => {});
    }
  }

  async stopAll(graceMs: number): Promise<void> {
    await Promise.all([...this.running.keys()].map((k) => this.stop(k, false)));
    await this.inFlight.drain(graceMs);
  }
}
