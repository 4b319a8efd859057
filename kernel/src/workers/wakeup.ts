// The instance's one LISTEN connection. Wake-ups: a commit that adds work (an outbox row, a
// delivery, a job) notifies, and the instance waiting for that kind of work starts at once instead
// of at its next poll; NOTIFY is only a hint there: every loop also polls, so a notification lost
// while the listener reconnects costs at most one poll interval, never an event. Kernel signals
// (cache invalidation) ride the same connection on their own channel. Users share it: start() and
// stop() count them and the connection closes when the last one stops.
import pg from 'pg';

export const CHANNELS = {
  outbox: 'erp_outbox',
  deliveries: 'erp_deliveries',
  jobs: 'erp_jobs',
  broadcast: 'erp_broadcast',
  kernel: 'erp_kernel',
} as const;

type Log = { warn(obj: object, msg: string): void };

export class PgWakeup {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly lostListeners = new Set<() => void>();
  private users = 0;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly log: Log,
  ) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Joins the shared connection, connecting it for the first user. */
  async start(): Promise<void> {
    this.users++;
    this.stopped = false;
    if (!this.client) await this.connect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    if (this.client) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'erp-kernel-listen',
    });
    client.on('notification', (msg) => {
      const waiting = this.waiters.get(msg.channel);
      if (waiting?.size) {
        this.waiters.delete(msg.channel);
        for (const wake of waiting) wake();
      }
      for (const fn of this.listeners.get(msg.channel) ?? []) fn(msg.payload ?? '');
    });
    client.on('error', (err) => this.lost(err));
    client.on('end', () => this.lost());
    await client.connect();
    await client.query(
      Object.values(CHANNELS)
        .map((c) => `listen ${c}`)
        .join('; '),
    );
    this.client = client;
  }

  /** Resolves on the next notification on the channel, or after ms. */
  wait(channel: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(channel) ?? new Set<() => void>();
      this.waiters.set(channel, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  /** Wakes everything waiting on the channel now (local work, shutdown). */
  wake(channel?: string): void {
    for (const [name, set] of this.waiters) {
      if (channel && name !== channel) continue;
      this.waiters.delete(name);
      for (const wake of set) wake();
    }
  }

  on(channel: string, fn: (payload: string) => void): () => void {
    const set = this.listeners.get(channel) ?? new Set<(payload: string) => void>();
    this.listeners.set(channel, set);
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Called when the connection is lost: notifications may be missed until it is back. */
  onLost(fn: () => void): () => void {
    this.lostListeners.add(fn);
    return () => this.lostListeners.delete(fn);
  }

  /** Called after the listener reconnected: notifications may have been missed meanwhile. */
  onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    return () => this.reconnectListeners.delete(fn);
  }

  private lost(err?: Error): void {
    if (this.stopped || !this.client) return;
    this.log.warn({ err: err?.message }, 'LISTEN connection lost; polling and caches reset until it is back');
    const old = this.client;
    this.client = undefined;
    old.end().catch(() => {});
    for (const fn of this.lostListeners) fn();
    const attempt = () => {
      if (this.stopped) return;
      this.connect()
        .then(() => {
          this.wake();
          for (const fn of this.reconnectListeners) fn();
        })
        .catch(() => {
          this.retry = setTimeout(attempt, 1000);
        });
    };
    this.retry = setTimeout(attempt, 200);
  }

  /** Leaves the shared connection; the last user closes it. */
  async stop(): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    this.stopped = true;
    clearTimeout(this.retry);
    this.wake();
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
