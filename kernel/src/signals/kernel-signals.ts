// Cache invalidation between kernel instances through Postgres NOTIFY: a signal sent inside a unit
// of work is delivered at COMMIT and never for a rolled-back one, so every instance (including
// this one) drops exactly the caches a committed change made stale. After a lost connection the
// listener reconnects and reports `reset`, and caches drop everything they hold.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Sql } from '../tenancy/index.js';

/** The NOTIFY channel; a process without KernelSignals (the CLI) may signal on it in its own transaction. */
export const KERNEL_SIGNAL_CHANNEL = 'erp_kernel';
const CHANNEL = KERNEL_SIGNAL_CHANNEL;

export type KernelSignal =
  | { type: 'session.revoked'; tenantId: string; id: string }
  | { type: 'rbac.changed'; tenantId: string }
  | { type: 'apikey.changed'; tenantId: string; id: string }
  | { type: 'plugin.changed'; tenantId: string; id: string };

export class KernelSignals {
  private readonly emitter = new EventEmitter();
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly log: { warn(obj: object, msg: string): void } = { warn() {} },
  ) {
    this.emitter.setMaxListeners(50);
  }

  /** Queues the signal in the caller's transaction; it is delivered on commit. */
  async send(sql: Sql, signal: KernelSignal): Promise<void> {
    await sql.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(signal)]);
  }

  on(handler: (signal: KernelSignal | { type: 'reset' }) => void): void {
    this.emitter.on('signal', handler);
  }

  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'erp-kernel-signals',
    });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        this.emitter.emit('signal', JSON.parse(msg.payload) as KernelSignal);
      } catch {
        /* a malformed payload is not ours to act on */
      }
    });
    client.on('error', (err) => this.reconnect(err));
    client.on('end', () => this.reconnect());
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.client = client;
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  private reconnect(err?: Error): void {
    if (this.stopped || !this.client) return;
    this.log.warn({ err: err?.message }, 'kernel signal listener lost its connection; caches reset');
    this.client = undefined;
    this.emitter.emit('signal', { type: 'reset' });
    const attempt = () => {
      if (this.stopped) return;
      this.start()
        .then(() => this.emitter.emit('signal', { type: 'reset' }))
        .catch(() => {
          this.retry = setTimeout(attempt, 1000);
        });
    };
    this.retry = setTimeout(attempt, 200);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
