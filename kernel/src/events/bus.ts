// The event bus as the rest of the kernel (and, wrapped, each plugin) sees it: publish inside the
// unit of work, subscribe and unsubscribe per (plugin, subscription) at any time (hot install),
// listen to broadcast events on every instance, replay, and the dead letters. Behind it runs either
// the embedded bus (outbox -> Postgres delivery queue -> dispatcher) or JetStream (outbox -> relay
// -> durable consumers), chosen by NATS_URL; subscribers cannot tell which.
import { EventEmitter } from 'node:events';
import type { Subscription as NatsSubscription } from '@nats-io/transport-node';
import type { Sql, TenantTx } from '../tenancy/index.js';
import type { WorkerTx } from '../workers/index.js';
import { CHANNELS, errorText, Loop, type PgWakeup } from '../workers/index.js';
import { listDeadLetters, type ReplayDeadLetterResult, replayDeadLetter } from './dead-letters.js';
import { EventError } from './errors.js';
import { subscriberKey, wireFilter } from './names.js';
import { NatsConsumers } from './nats-consumers.js';
import { NatsLink } from './nats-link.js';
import { writeOutbox } from './outbox.js';
import { PgDispatcher } from './pg-dispatcher.js';
import { routeOutboxBatch } from './pg-router.js';
import type { EventRegistry } from './registry.js';
import { queueReplay, type ReplayRequest, type ReplayResult } from './replay.js';
import { pruneBus } from './retention.js';
import { Subscriptions } from './subscriptions.js';
import type { BroadcastListener, BusSettings, PublishedEvent, SubscriptionSpec } from './types.js';

const PRUNE_EVERY_MS = 10 * 60_000;

type Log = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export class EventBus {
  private readonly subscriptions: Subscriptions;
  private readonly dispatcher: PgDispatcher;
  private readonly broadcast = new EventEmitter();
  private readonly natsListens = new Map<string, NatsSubscription>();
  private nats: NatsLink | undefined;
  private consumers: NatsConsumers | undefined;
  private relay: Loop | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private started = false;
  private readonly wakeRelay = () => this.relay?.poke();

  constructor(
    readonly registry: EventRegistry,
    private readonly deps: {
      tenantTx: TenantTx;
      workerTx: WorkerTx;
      wakeup: PgWakeup;
      settings: BusSettings;
      log: Log;
    },
  ) {
    this.broadcast.setMaxListeners(0);
    this.subscriptions = new Subscriptions(registry, deps.workerTx, deps.settings.maxAttempts);
    this.dispatcher = new PgDispatcher({ ...deps, subscriptions: this.subscriptions });
  }

  get mode(): 'jetstream' | 'embedded' {
    return this.deps.settings.natsUrl ? 'jetstream' : 'embedded';
  }

  /** Writes the event to the outbox in the caller's unit of work; it is delivered after commit. */
  publish(sql: Sql, type: string, payload: unknown): Promise<PublishedEvent> {
    return writeOutbox(sql, this.registry, type, payload, {
      broadcastViaNotify: this.mode === 'embedded',
      notifyRelay: !this.deps.settings.background,
      wakeLocal: this.wakeRelay,
    });
  }

  /**
   * Registers a durable subscription and, once the bus runs, serves it in this instance. Throws
   * when the subject is not a declared event type or the subscription is already registered here.
   */
  async subscribe(spec: SubscriptionSpec): Promise<void> {
    const sub = this.subscriptions.check(spec);
    await this.subscriptions.add(sub);
    if (this.started && this.deps.settings.background) {
      if (this.consumers) {
        try {
          await this.consumers.start(sub);
        } catch (err) {
          await this.subscriptions.remove(sub.key, false);
          throw err;
        }
      }
      this.dispatcher.poke();
    }
  }

  /**
   * Stops serving a subscription in this instance. Events keep collecting for it (other instances,
   * a later re-registration); `forget` deletes it for good: its durable consumer or queued
   * deliveries go with it.
   */
  async unsubscribe(plugin: string, name: string, opts: { forget?: boolean } = {}): Promise<void> {
    const key = subscriberKey(plugin, name);
    const sub = await this.subscriptions.remove(key, opts.forget ?? false);
    await this.consumers?.stop(key, opts.forget ?? false, sub);
  }

  /** The subscriptions served by this instance. */
  listSubscriptions(): Array<{ key: string; plugin: string; name: string; subject: string }> {
    return this.subscriptions
      .all()
      .map((s) => ({ key: s.key, plugin: s.plugin, name: s.name, subject: s.subject }));
  }

  /**
   * Calls fn on this instance for every event of a broadcast type (declared with broadcast: true),
   * at most once, after its transaction committed. Not durable: after a lost connection, onGap
   * tells the listener that it may have missed some and should reload what it derives from them.
   */
  listen(type: string, fn: BroadcastListener, opts: { onGap?: () => void } = {}): () => void {
    const t = this.registry.require(type);
    if (!t.broadcast) {
      throw new EventError('ERP_EVENT_NOT_BROADCAST', `${type} is not declared as a broadcast event`);
    }
    this.broadcast.on(type, fn);
    if (opts.onGap) this.broadcast.on('gap', opts.onGap);
    if (this.nats) this.listenOnNats(type);
    return () => {
      this.broadcast.off(type, fn);
      if (opts.onGap) this.broadcast.off('gap', opts.onGap);
    };
  }

  replay(sql: Sql, request: ReplayRequest): Promise<ReplayResult | null> {
    return queueReplay(sql, request);
  }

  listDeadLetters = listDeadLetters;

  replayDeadLetter(sql: Sql, id: string): Promise<ReplayDeadLetterResult> {
    return replayDeadLetter(sql, id);
  }

  async start(): Promise<void> {
    const { settings, wakeup, workerTx, log } = this.deps;
    await wakeup.start();
    wakeup.on(CHANNELS.broadcast, (payload) => {
      if (this.mode !== 'embedded') return;
      try {
        const event = JSON.parse(payload);
        this.emitBroadcast(event);
      } catch {
        /* not ours */
      }
    });
    wakeup.onReconnect(() => this.broadcast.emit('gap'));
    if (settings.natsUrl) {
      this.nats = await NatsLink.open(settings.natsUrl, settings.namespace, settings.instance, log);
      this.nats.onReconnect = () => this.broadcast.emit('gap');
      await this.nats.ensureStreams(settings.retentionDays);
      for (const type of this.broadcast.eventNames())
        if (typeof type === 'string' && type !== 'gap') this.listenOnNats(type);
    }
    if (settings.background) {
      const nats = this.nats;
      this.relay = new Loop(
        nats ? 'event relay' : 'event router',
        () => (nats ? nats.relayBatch(workerTx) : routeOutboxBatch(workerTx)),
        (ms) => wakeup.wait(CHANNELS.outbox, ms),
        settings.pollMs,
        log,
      );
      if (nats) {
        this.consumers = new NatsConsumers(nats, this.deps.tenantTx, settings, log);
        for (const sub of this.subscriptions.all()) await this.consumers.start(sub);
      }
      this.relay.start();
      this.dispatcher.start();
      this.pruneTimer = setInterval(() => {
        pruneBus(workerTx, settings.retentionDays).catch((err) =>
          log.warn({ err: errorText(err) }, 'pruning the bus tables failed'),
        );
      }, PRUNE_EVERY_MS);
      this.pruneTimer.unref();
    }
    this.started = true;
  }

  /** Readiness: the wake-up listener and, in JetStream mode, the NATS connection. */
  async checkReady(): Promise<void> {
    if (this.nats && !this.nats.connected) throw new Error('NATS disconnected');
    if (!this.deps.wakeup.connected) throw new Error('bus listener disconnected');
  }

  /** Stops relaying and claiming, waits up to graceMs for running handlers, closes NATS. */
  async stop(graceMs: number): Promise<void> {
    this.started = false;
    clearInterval(this.pruneTimer);
    await this.relay?.stop();
    await Promise.all([this.dispatcher.stop(graceMs), this.consumers?.stopAll(graceMs)]);
    for (const s of this.natsListens.values()) s.unsubscribe();
    this.natsListens.clear();
    await this.nats?.close();
    await this.deps.wakeup.stop();
  }

  private listenOnNats(type: string): void {
    if (!this.nats || this.natsListens.has(type)) return;
    const sub = this.nats.nc.subscribe(wireFilter(this.nats.namespace, type), {
      callback: (err, msg) => {
        if (err) return;
        try {
          this.emitBroadcast(msg.json());
        } catch {
          /* not ours */
        }
      },
    });
    this.natsListens.set(type, sub);
  }

  private emitBroadcast(event: { type?: string }): void {
    if (typeof event?.type !== 'string') return;
    for (const fn of this.broadcast.listeners(event.type) as BroadcastListener[]) {
      Promise.resolve()
        .then(() => fn(event as Parameters<BroadcastListener>[0]))
        .catch((err) =>
          this.deps.log.warn({ err: errorText(err), type: event.type }, 'broadcast listener failed'),
        );
    }
  }
}
