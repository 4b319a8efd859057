// What administrators read about their plugins' usage: the persisted totals per plugin and hour
// (erp.plugin_usage, the tenant's own rows by RLS), and the same as metrics text.
import type { Sql } from '../tenancy/index.js';
import type { VersionUsage } from './runner/index.js';

const NUMBERS = [
  'invocations',
  'failures',
  'cpuMs',
  'dbMs',
  'dbRows',
  'events',
  'httpRequests',
  'httpBytes',
] as const;

export interface HourlyUsage extends Record<(typeof NUMBERS)[number], number> {
  plugin: string;
  hour: string;
}

export async function hourlyUsage(sql: Sql, hours = 24): Promise<HourlyUsage[]> {
  const rows = await sql.query<Record<string, unknown>>(
    `select plugin_id as plugin, hour, invocations, failures, cpu_ms as "cpuMs", db_ms as "dbMs", db_rows as "dbRows",
            events, http_requests as "httpRequests", http_bytes as "httpBytes"
       from erp.plugin_usage where hour > now() - make_interval(hours => $1::int) order by hour desc, plugin_id`,
    [hours],
  );
  return rows.map((r) => ({
    plugin: String(r.plugin),
    hour: (r.hour as Date).toISOString(),
    ...(Object.fromEntries(NUMBERS.map((f) => [f, Number(r[f])])) as Record<
      (typeof NUMBERS)[number],
      number
    >),
  }));
}

const SNAKE: Record<(typeof NUMBERS)[number], string> = {
  invocations: 'invocations',
  failures: 'failures',
  cpuMs: 'cpu_milliseconds',
  dbMs: 'db_milliseconds',
  dbRows: 'db_rows',
  events: 'events',
  httpRequests: 'http_requests',
  httpBytes: 'http_bytes',
};

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Prometheus exposition text: `erp_plugin_<metric>_total` counters of this instance per plugin
 * version (since start), and `erp_plugin_hour_<metric>` gauges of the current hour across instances.
 */
export function usageMetrics(instance: VersionUsage[], hour: HourlyUsage[]): string {
  const out: string[] = [];
  for (const f of NUMBERS) {
    const name = `erp_plugin_${SNAKE[f]}_total`;
    out.push(`# HELP ${name} Plugin ${SNAKE[f].replace(/_/g, ' ')} on this instance since it started.`);
    out.push(`# TYPE ${name} counter`);
    for (const u of instance)
      out.push(
        `${name}{plugin="${label(u.plugin)}",version="${label(u.version)}",runtime="${u.runtime}"} ${u[f]}`,
      );
  }
  const current = hour.filter((h) => h.hour === hour[0]?.hour);
  for (const f of NUMBERS) {
    const name = `erp_plugin_hour_${SNAKE[f]}`;
    out.push(`# HELP ${name} Plugin ${SNAKE[f].replace(/_/g, ' ')} in the current hour, all instances.`);
    out.push(`# TYPE ${name} gauge`);
    for (const h of current) out.push(`${name}{plugin="${label(h.plugin)}"} ${h[f]}`);
  }
  return `${out.join('\n')}\n`;
}
