// Wake-ups through Postgres LISTEN/NOTIFY: a commit that adds work (an outbox row, a delivery, a
// job) notifies, and the instance waiting for that kind of work starts at once instead of at its
// next poll. NOTIFY is only a hint: every loop also polls, so a notification lost while the
// listener reconnects costs at most one poll interval, never an event.
import pg from 'pg';

export const CHANNELS = {
  outbox: 'erp_outbox',
  deliveries: 'erp_deliveries',
  jobs: 'erp_jobs',
  broadcast: 'erp_broadcast',
} as const;

type Log = { warn(obj: object, msg: string): void };

export class PgWakeup {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(
    private readonly connectionString: string,
    private readonly log: Log,
  ) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'erp-bus-wakeup',
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

  /** Called after the listener reconnected: notifications may have been missed meanwhile. */
  onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    return () => this.reconnectListeners.delete(fn);
  }

  private lost(err?: Error): void {
    if (this.stopped || !this.client) return;
    this.log.warn(
      { err: err?.message },
      'bus wake-up listener lost its connection; polling until it is back',
    );
    const old = this.client;
    this.client = undefined;
    old.end().catch(() => {});
    const attempt = () => {
      if (this.stopped) return;
      this.start()
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

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.wake();
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
