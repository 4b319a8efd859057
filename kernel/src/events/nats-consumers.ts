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
import { insertDeadLetter, recordDeadLetter } from './dead-letters.js';
import { batchSize, DELIVERY_BATCH, deliverBatch, deliverOnce } from './deliver.js';
import { durableName, wireFilter } from './names.js';
import type { NatsLink } from './nats-link.js';
import type { Subscription } from './subscriptions.js';
import type { BusSettings, EventEnvelope } from './types.js';

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

interface Running {
  messages: ConsumerMessages;
  done: Promise<void>;
}

/** Waiting messages that justify a third (or later) concurrent batch. */
const BACKLOG = DELIVERY_BATCH / 4;

interface Received {
  m: JsMsg;
  event: EventEnvelope;
}

/** The message's envelope; a message that is not one is terminated (it can never be handled). */
function parse(m: JsMsg): EventEnvelope | undefined {
  try {
    return {
      ...m.json<Omit<EventEnvelope, 'replay' | 'attempt'>>(),
      replay: null,
      attempt: m.info.deliveryCount,
    };
  } catch {
    m.term();
    return undefined;
  }
}

/** Takes up to `size` messages of the first waiting message's tenant, keeping the others in order. */
function takeTenant(pending: Received[], size: number): Received[] {
  const tenant = pending[0]!.event.tenantId;
  const taken: Received[] = [];
  for (let i = 0; i < pending.length && taken.length < size; ) {
    if (pending[i]!.event.tenantId === tenant) taken.push(...pending.splice(i, 1));
    else i++;
  }
  return taken;
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
    const messages = await consumer.consume({ max_messages: Math.max(limit * 4, DELIVERY_BATCH * 2) });
    const done = this.run(sub, messages, limit);
    this.running.set(sub.key, { messages, done });
  }

  /**
   * Messages wait in `pending` until a slot is free; each slot takes a batch of one tenant's
   * messages (a single message while the bus is quiet, up to DELIVERY_BATCH under load) into one
   * handler transaction, and acks them after its commit.
   */
  private async run(sub: Subscription, messages: ConsumerMessages, limit: number): Promise<void> {
    const slots = new Set<Promise<void>>();
    const pending: Received[] = [];
    let scheduled = false;
    let closed = false;
    const dispatch = () => {
      scheduled = false;
      // Once consuming stopped, waiting messages stay unacked: the server redelivers them.
      if (closed) return;
      // Two batches run freely; more only for a backlog worth a batch of its own. Messages that
      // trickle in meanwhile wait for a running batch to end and go together in the next one: a
      // commit per few messages instead of one each, which is what bounds the rate.
      while (pending.length && slots.size < limit && (slots.size < 2 || pending.length >= BACKLOG)) {
        const chunk = takeTenant(pending, batchSize(pending.length, Math.min(2, limit - slots.size)));
        const p: Promise<void> = this.inFlight
          .track(this.handleChunk(sub, chunk))
          .catch((err) =>
            this.log.error({ err: errorText(err), subscriber: sub.key }, 'JetStream delivery failed'),
          )
          .finally(() => {
            slots.delete(p);
            dispatch();
          });
        slots.add(p);
      }
    };
    try {
      for await (const m of messages) {
        const event = parse(m);
        if (!event) continue;
        pending.push({ m, event });
        // Dispatch once the messages already received are all in: they form the batches.
        if (!scheduled) {
          scheduled = true;
          setImmediate(dispatch);
        }
        while (pending.length >= limit * DELIVERY_BATCH && slots.size) await Promise.race(slots);
      }
    } catch (err) {
      this.log.error({ err: errorText(err), subscriber: sub.key }, 'JetStream consumer stopped');
    }
    closed = true;
  }

  private async handleChunk(sub: Subscription, chunk: Received[]): Promise<void> {
    if (chunk.length === 1) return this.handle(sub, chunk[0]!.m);
    const keepAlive = setInterval(
      () => {
        for (const c of chunk) c.m.working();
      },
      (this.settings.leaseSeconds * 1000) / 3,
    );
    let outcomes: Awaited<ReturnType<typeof deliverBatch>>;
    try {
      outcomes = await deliverBatch(
        this.tenantTx,
        sub,
        chunk[0]!.event.tenantId,
        chunk.map((c) => ({ event: c.event })),
        async (sql, item, err) => {
          if (item.event.attempt < sub.maxAttempts) return;
          this.log.error(
            { err: errorText(err), subscriber: sub.key, event: item.event.id },
            'event dead-lettered',
          );
          await insertDeadLetter(sql, {
            tenantId: item.event.tenantId,
            subscriber: sub.key,
            eventId: item.event.id,
            replay: '',
            attempts: item.event.attempt,
            error: errorText(err),
          });
        },
      );
    } catch {
      // Nothing of the batch committed: each message goes the unbatched way.
      clearInterval(keepAlive);
      for (const c of chunk) await this.handle(sub, c.m);
      return;
    }
    clearInterval(keepAlive);
    // Acks only now, after the commit; the client sends them together.
    const failed: Array<{ c: Received; error: unknown }> = [];
    outcomes.forEach((o, i) => {
      const c = chunk[i]!;
      if (o.status === 'failed') failed.push({ c, error: o.error });
      else c.m.ack();
    });
    for (const { c, error } of failed) {
      const attempt = c.event.attempt;
      if (attempt < sub.maxAttempts) {
        c.m.nak(backoffMs(this.settings.retry, attempt));
        continue;
      }
      await this.link.publishDeadLetter(c.event, sub.key, errorText(error)).catch((e) => {
        this.log.warn({ err: errorText(e) }, 'dead letter recorded but not copied to the dead-letter stream');
      });
      c.m.term();
    }
  }

  private async handle(sub: Subscription, m: JsMsg): Promise<void> {
    const event = parse(m);
    if (!event) return;
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
