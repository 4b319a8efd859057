// Cache invalidation between kernel instances through Postgres NOTIFY: a signal sent inside a unit
// of work is delivered at COMMIT and never for a rolled-back one, so every instance (including
// this one) drops exactly the caches a committed change made stale. Signals ride the instance's one
// LISTEN connection (workers/wakeup.ts); when it is lost and again when it is back, caches are
// told to `reset` and drop everything they hold.
import { EventEmitter } from 'node:events';
import type { Sql } from '../tenancy/index.js';
import { CHANNELS, type PgWakeup } from '../workers/index.js';

/** The NOTIFY channel; a process without KernelSignals (the CLI) may signal on it in its own transaction. */
export const KERNEL_SIGNAL_CHANNEL = CHANNELS.kernel;
const CHANNEL = KERNEL_SIGNAL_CHANNEL;

export type KernelSignal =
  | { type: 'session.revoked'; tenantId: string; id: string }
  | { type: 'rbac.changed'; tenantId: string }
  | { type: 'apikey.changed'; tenantId: string; id: string }
  | { type: 'plugin.changed'; tenantId: string; id: string }
  | { type: 'outbound.changed'; tenantId: string };

export class KernelSignals {
  private readonly emitter = new EventEmitter();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly listener: PgWakeup) {
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
    const reset = () => this.emitter.emit('signal', { type: 'reset' });
    this.unsubscribe.push(
      this.listener.on(CHANNEL, (payload) => {
        if (!payload) return;
        try {
          this.emitter.emit('signal', JSON.parse(payload) as KernelSignal);
        } catch {
          /* a malformed payload is not ours to act on */
        }
      }),
      this.listener.onLost(reset),
      this.listener.onReconnect(reset),
    );
    await this.listener.start();
  }

  get connected(): boolean {
    return this.listener.connected;
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.listener.stop();
  }
}
