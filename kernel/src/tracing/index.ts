// OpenTelemetry traces of the kernel: from HTTP through SQL, the outbox and the bus to the
// subscriber, and into plugin calls. Off by default; the standard OTEL_* variables turn it on
// (provider.ts). ERP_TRACE_TENANT=omit leaves tenants out of spans; by default a span carries a
// keyed hash of the tenant id (the same tenant, the same value; not reversible without the key).
import { createHmac } from 'node:crypto';
import { flushProvider, startProvider, tracingWanted } from './provider.js';
import { instrumentSql } from './sql.js';

export { installHttpTracing } from './http.js';
export {
  bindActive,
  currentTraceparent,
  deliverySpan,
  jobSpan,
  logTraceFields,
  outboundSpan,
  pluginSpan,
  publishSpan,
} from './spans.js';

export interface Tracing {
  enabled: boolean;
  tenantLabel(tenantId: string): string | undefined;
  flush(): Promise<void>;
}

export async function startTracing(
  env: Record<string, string | undefined>,
  opts: { version: string; tenantKey: Buffer },
): Promise<Tracing> {
  const enabled = tracingWanted(env);
  if (enabled) {
    startProvider(opts.version);
    await instrumentSql();
  }
  const omit = env.ERP_TRACE_TENANT?.trim().toLowerCase() === 'omit';
  return {
    enabled,
    tenantLabel: (tenantId) =>
      omit ? undefined : createHmac('sha256', opts.tenantKey).update(tenantId).digest('hex').slice(0, 16),
    flush: flushProvider,
  };
}
