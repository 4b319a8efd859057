// Per plugin version and tenant usage on this instance, from the runners' counters (the same ones
// GET /api/v1/plugins/usage shows a tenant's administrators): calls, failures, SQL statements and
// time. Counters, as Prometheus expects: they only grow while the process lives.
import { Counter, type Registry } from 'prom-client';

interface Usage {
  plugin: string;
  version: string;
  invocations: number;
  failures: number;
  dbStatements: number;
  wallMs: number;
}

export interface UsageSource {
  all(): Iterable<{ tenantId: string; usage: readonly Usage[] }>;
}

const LABELS = ['plugin', 'version', 'tenant'] as const;

export function installPluginMetrics(registry: Registry, usage: UsageSource): void {
  const counter = (name: string, help: string, value: (u: Usage) => number) => {
    const c: Counter<(typeof LABELS)[number]> = new Counter({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      // Copied from the meter at each scrape: the meter is the one place that counts.
      collect() {
        c.reset();
        for (const { tenantId, usage: versions } of usage.all())
          for (const u of versions)
            c.inc({ plugin: u.plugin, version: u.version, tenant: tenantId }, value(u));
      },
    });
  };
  counter(
    'erp_plugin_invocations_total',
    'Plugin calls (routes, subscriptions, jobs, hooks)',
    (u) => u.invocations,
  );
  counter('erp_plugin_failures_total', 'Plugin calls that failed unexpectedly', (u) => u.failures);
  counter('erp_plugin_db_statements_total', 'SQL statements plugins ran', (u) => u.dbStatements);
  counter('erp_plugin_wall_seconds_total', 'Time spent in plugin calls', (u) => u.wallMs / 1000);
}
