// Metered usage per plugin per tenant and hour, persisted (erp.plugin_usage, migration 0010), and
// the quotas checked before each call. Calls add to an in-memory pending total that is flushed
// every few seconds (one upsert per tenant and plugin, adding, so instances sum); the flush reads
// back the hour's total across instances. A call is refused when that total plus what this
// instance has not flushed yet reaches a quota: 429 for that plugin and tenant, nothing else.
import { Problem } from '../../http/index.js';
import type { TenantTx } from '../../tenancy/index.js';
import type { CallMeter } from './types.js';

export const METRICS = [
  'invocations',
  'cpuMs',
  'dbMs',
  'dbRows',
  'events',
  'httpRequests',
  'httpBytes',
] as const;
export type Metric = (typeof METRICS)[number];

export interface UsageTotals extends Record<Metric, number> {
  failures: number;
}

/** Limits per plugin per tenant per hour; a missing or zero limit is no limit. */
export type Quotas = Partial<Record<Metric, number>>;

const COLUMNS: Record<keyof UsageTotals, string> = {
  invocations: 'invocations',
  failures: 'failures',
  cpuMs: 'cpu_ms',
  dbMs: 'db_ms',
  dbRows: 'db_rows',
  events: 'events',
  httpRequests: 'http_requests',
  httpBytes: 'http_bytes',
};
const FIELDS = Object.keys(COLUMNS) as (keyof UsageTotals)[];

const zero = (): UsageTotals => ({
  invocations: 0,
  failures: 0,
  cpuMs: 0,
  dbMs: 0,
  dbRows: 0,
  events: 0,
  httpRequests: 0,
  httpBytes: 0,
});

const hourOf = (now: number) => new Date(Math.floor(now / 3_600_000) * 3_600_000).toISOString();

interface Entry {
  tenantId: string;
  pluginId: string;
  hour: string;
  /** The hour's total across instances as of this instance's last flush of it. */
  known: UsageTotals;
  /** Being written right now: still counted until the written total is read back. */
  writing: UsageTotals;
  pending: UsageTotals;
}

export const quotaProblem = (pluginId: string, metric: Metric, limit: number, retryAfterSeconds: number) =>
  new Problem(429, 'ERP_PLUGIN_QUOTA_EXCEEDED', 'Plugin quota exceeded', {
    detail: `Plugin ${pluginId} used its ${metric} quota for this hour (${limit}) in this tenant; it serves again next hour.`,
    retryAfterSeconds,
  });

export class PluginQuotas {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly tx: TenantTx,
    readonly quotas: Quotas,
    private readonly flushMs = 5_000,
    private readonly log: { warn(obj: object, msg: string): void } = { warn() {} },
  ) {}

  private entry(tenantId: string, pluginId: string, now = Date.now()): Entry {
    const hour = hourOf(now);
    const key = `${tenantId}|${pluginId}|${hour}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { tenantId, pluginId, hour, known: zero(), writing: zero(), pending: zero() };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Throws the 429 when the plugin has used a quota for this tenant and hour. */
  check(tenantId: string, pluginId: string, now = Date.now()): void {
    const e = this.entry(tenantId, pluginId, now);
    for (const m of METRICS) {
      const limit = this.quotas[m];
      if (limit && e.known[m] + e.writing[m] + e.pending[m] >= limit) {
        const retry = Math.max(1, Math.ceil((Date.parse(e.hour) + 3_600_000 - now) / 1000));
        throw quotaProblem(pluginId, m, limit, retry);
      }
    }
  }

  add(tenantId: string, pluginId: string, meter: CallMeter, failed: boolean): void {
    const p = this.entry(tenantId, pluginId).pending;
    p.invocations++;
    if (failed) p.failures++;
    p.cpuMs += meter.cpuMs ?? 0;
    p.dbMs += meter.dbMs ?? 0;
    p.dbRows += meter.dbRows ?? 0;
    p.events += meter.events ?? 0;
    p.httpRequests += meter.httpRequests ?? 0;
    p.httpBytes += meter.httpBytes ?? 0;
    if (!this.timer) {
      this.timer = setInterval(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what is pending; reads back each hour's total across instances. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const current = hourOf(Date.now());
    for (const [key, e] of this.entries) {
      const pending = e.pending;
      if (pending.invocations === 0) {
        if (e.hour !== current) this.entries.delete(key);
        continue;
      }
      e.writing = pending;
      e.pending = zero();
      try {
        const row = await this.tx.run(e.tenantId, (sql) =>
          sql.query<Record<string, string | number>>(
            `insert into erp.plugin_usage (tenant_id, plugin_id, hour, ${FIELDS.map((f) => COLUMNS[f]).join(', ')})
             values (erp.current_tenant(), $1, $2, ${FIELDS.map((_, i) => `$${i + 3}`).join(', ')})
             on conflict (tenant_id, plugin_id, hour) do update set
               ${FIELDS.map((f) => `${COLUMNS[f]} = erp.plugin_usage.${COLUMNS[f]} + excluded.${COLUMNS[f]}`).join(', ')}
             returning ${FIELDS.map((f) => `${COLUMNS[f]} as "${f}"`).join(', ')}`,
            [e.pluginId, e.hour, ...FIELDS.map((f) => pending[f])],
          ),
        );
        const known = zero();
        for (const f of FIELDS) known[f] = Number(row[0]?.[f] ?? 0);
        e.known = known;
        e.writing = zero();
      } catch (err) {
        // Kept for the next flush: a database hiccup loses no usage.
        for (const f of FIELDS) e.pending[f] += pending[f];
        e.writing = zero();
        this.log.warn(
          { error: (err as Error).message, plugin: e.pluginId },
          'plugin usage not persisted yet',
        );
      }
      if (e.hour !== current && e.pending.invocations === 0) this.entries.delete(key);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
