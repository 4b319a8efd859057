// The JetStream side of the bus: one connection per instance (reconnecting forever), the events
// stream and the dead-letter stream, and the relay. The relay claims committed outbox rows with
// FOR UPDATE SKIP LOCKED (so several instances relay without overlap), marks them relayed and
// publishes them with the event id as message id, and commits the mark only after JetStream
// acknowledged every one. A crash between the two republishes the batch, and the server drops the duplicates within its
// duplicate window.
import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection, nanos } from '@nats-io/transport-node';
import { publishSpan } from '../tracing/index.js';
import type { StepResult, WorkerTx } from '../workers/index.js';
import { wireSubject } from './names.js';
import type { EventEnvelope } from './types.js';

export const RELAY_BATCH = 500;
const DUPLICATE_WINDOW_MS = 10 * 60_000;

type Log = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

export class NatsLink {
  connected = false;
  /** Called after a reconnect: broadcast listeners may have missed messages meanwhile. */
  onReconnect: () => void = () => {};
  readonly eventsStream: string;
  readonly deadLetterStream: string;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly namespace: string,
    private readonly log: Log,
  ) {
    this.eventsStream = `${namespace}_events`;
    this.deadLetterStream = `${namespace}_dead_letters`;
    this.connected = true;
    void this.watch();
  }

  static async open(url: string, namespace: string, instance: string, log: Log): Promise<NatsLink> {
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: url.split(','),
        name: `erp-kernel ${instance}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: 10_000,
      });
    } catch (err) {
      throw new Error(`NATS at ${url} is not reachable: ${(err as Error).message}`);
    }
    // A publish lost with a dying server is retried by the relay after this long.
    const js = jetstream(nc, { timeout: 5_000 });
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    return new NatsLink(nc, js, jsm, namespace, log);
  }

  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') {
        this.connected = false;
        this.log.warn({}, 'NATS disconnected; relaying and consuming resume on reconnect');
      } else if (s.type === 'reconnect') {
        this.connected = true;
        this.log.info({}, 'NATS reconnected');
        this.onReconnect();
      }
    }
  }

  /** Creates the streams if missing. Existing streams are left as operators tuned them. */
  async ensureStreams(retentionDays: number): Promise<void> {
    const maxAge = nanos(retentionDays * 86_400_000);
    const wanted = [
      { name: this.eventsStream, subjects: [`${this.namespace}.>`] },
      { name: this.deadLetterStream, subjects: [`${this.namespace}-dlq.>`] },
    ];
    for (const s of wanted) {
      try {
        await this.jsm.streams.info(s.name);
      } catch {
        await this.jsm.streams.add({
          ...s,
          storage: StorageType.File,
          retention: RetentionPolicy.Limits,
          max_age: maxAge,
          duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, retentionDays * 86_400_000)),
        });
      }
    }
  }

  async relayBatch(workerTx: WorkerTx, batch = RELAY_BATCH): Promise<StepResult> {
    const relayed = await workerTx.run(async (sql) => {
      const rows = await sql.query<{
        tenant_id: string;
        id: string;
        seq: string;
        subject: string;
        payload: unknown;
        created_at: Date;
        trace_context: string | null;
      }>(
        `select tenant_id, id, seq::text, subject, payload, created_at, trace_context from erp.event_outbox
          where relayed_at is null order by seq limit $1 for update skip locked`,
        [batch],
      );
      if (!rows.length) return 0;
      // Marked first, committed only after JetStream acknowledged every publish: a failed publish
      // rolls the mark back, and between the acks and the commit lies one round trip, not two
      // (consumers may already be handling the messages meanwhile).
      await sql.query('update erp.event_outbox set relayed_at = now() where seq = any($1::bigint[])', [
        rows.map((r) => r.seq),
      ]);
      await Promise.all(
        rows.map((r) => {
          const envelope: Omit<EventEnvelope, 'replay' | 'attempt'> = {
            id: r.id,
            sequence: r.seq,
            type: r.subject,
            tenantId: r.tenant_id,
            payload: r.payload,
            publishedAt: r.created_at.toISOString(),
            ...(r.trace_context ? { traceparent: r.trace_context } : {}),
          };
          return publishSpan(r, 'nats', () =>
            this.js.publish(wireSubject(this.namespace, r.tenant_id, r.subject), JSON.stringify(envelope), {
              msgID: r.id,
            }),
          );
        }),
      );
      return rows.length;
    });
    return relayed === batch ? 'more' : 'idle';
  }

  /** Copies a dead letter to the dead-letter stream for operators (the admin API reads Postgres). */
  async publishDeadLetter(event: EventEnvelope, subscriber: string, error: string): Promise<void> {
    const h = headers();
    h.set('Erp-Subscriber', subscriber);
    h.set('Erp-Error', error.replace(/[\r\n]+/g, ' ').slice(0, 500));
    await this.js.publish(
      `${this.namespace}-dlq.${event.tenantId}.${event.type}`,
      JSON.stringify({ ...event, subscriber, error }),
      { msgID: `${subscriber}/${event.id}/${event.replay ?? ''}`, headers: h },
    );
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.nc.drain().catch(() => this.nc.close());
  }
}
