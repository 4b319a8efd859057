// Builds the `ctx` a plugin handler receives: capabilities bound to one tenant transaction, the
// plugin's own database role and schema, its declared events, jobs and hosts. Nothing else leaks.
// Both runners build it: the in-process one hands it to the handler, the sandbox serves the
// isolate's capability calls from it, so the checks and the metering are one code.
import type { Json, PluginContext } from '@erp/sdk';
import type { FastifyBaseLogger } from 'fastify';
import { Problem } from '../../http/index.js';
import type { LoadedPlugin } from '../loader.js';
import type { Actor } from '../sinks.js';
import { pluginFetch } from './http-fetch.js';
import { runPluginSql } from './plugin-sql.js';
import type { CallMeter, ContextDeps, Invocation } from './types.js';

/** The context plus what the runner meters and checks after the handler. */
export interface RunningContext {
  ctx: PluginContext;
  dbStatements(): number;
  /** Adds what the handler used (database time and rows, events, outbound calls) to the meter. */
  meterInto(meter: CallMeter): void;
}

export function createPluginContext(
  plugin: LoadedPlugin,
  inv: Invocation,
  deps: ContextDeps,
): RunningContext {
  const { sql, principal } = inv;
  // Role and tenant are asserted as the unit of work leaves this plugin's SQL (ahead of the next
  // kernel statement, at the latest in the COMMIT's round trip); a change rolls everything back.
  sql.onTampered(() => integrityProblem(plugin.id));
  const capabilities = plugin.entry.pkg.manifest.capabilities ?? [];
  let statements = 0;
  const used = { dbMs: 0, dbRows: 0, events: 0, httpRequests: 0, httpBytes: 0 };
  // The child logger is made on first use: most handlers never log.
  let child: FastifyBaseLogger | undefined;
  const log = () => (child ??= inv.log.child({ plugin: plugin.id, pluginVersion: plugin.version }));
  // The plugin is always named, also when a user acts through one of its routes.
  const actor: Actor = {
    kind: principal ? principal.kind : 'plugin',
    userId: principal?.userId ?? null,
    apiKeyId: principal?.apiKeyId ?? null,
    plugin: plugin.id,
  };
  const run = async <R>(text: string, params?: readonly Json[]) => {
    statements++;
    const started = performance.now();
    try {
      const rows = await runPluginSql<R>(sql, plugin, text, params);
      used.dbRows += rows.length;
      return rows;
    } finally {
      used.dbMs += performance.now() - started;
    }
  };
  const ctx: PluginContext = {
    db: {
      query: <R>(text: string, params?: readonly Json[]) => run<R>(text, params),
      one: async <R>(text: string, params?: readonly Json[]) => (await run<R>(text, params))[0] ?? null,
    },
    events: {
      async publish(event, payload) {
        const validate = plugin.events.get(event);
        if (!validate) {
          throw new Problem(500, 'ERP_EVENT_UNDECLARED', 'Undeclared event', {
            detail: `Plugin ${plugin.id} published ${event}, which its definePlugin({ events }) does not declare.`,
          });
        }
        const errors = validate(payload);
        if (errors) {
          throw new Problem(500, 'ERP_EVENT_INVALID', 'Event payload does not match its schema', {
            detail: `${plugin.id}.${event}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
          });
        }
        await deps.events.publish(sql, plugin.id, event, payload);
        used.events++;
      },
    },
    jobs: {
      async enqueue(job, payload = null, options = {}) {
        if (!plugin.def.jobs?.[job]) {
          throw new Problem(500, 'ERP_JOB_UNDECLARED', 'Undeclared job', {
            detail: `Plugin ${plugin.id} has no job ${job}.`,
          });
        }
        await deps.jobs.enqueue(sql, plugin.id, job, payload, options);
      },
    },
    audit: {
      record: (entry) => deps.audit.record(sql, { ...entry, actor, requestId: inv.requestId, ip: inv.ip }),
    },
    user: { id: principal?.userId ?? null, kind: principal?.kind ?? 'system' },
    tenant: { id: sql.tenantId },
    log: {
      debug: (m, d) => log().debug({ data: d }, m),
      info: (m, d) => log().info({ data: d }, m),
      warn: (m, d) => log().warn({ data: d }, m),
      error: (m, d) => log().error({ data: d }, m),
    },
    http: {
      // The unit of work must still be intact before anything leaves the process.
      fetch: async (url, init) => {
        const res = await pluginFetch(
          () =>
            deps.outbound.fetchFor(sql, {
              plugin: plugin.id,
              userId: principal?.userId ?? null,
              entry: inv.entry,
              requestId: inv.requestId,
              ip: inv.ip,
            }),
          plugin.id,
          capabilities,
          url,
          init,
          async () => {
            if (statements > 0 && !(await sql.integrityCheck())) throw integrityProblem(plugin.id);
            used.httpRequests++;
            used.httpBytes += init?.body?.length ?? 0;
          },
        );
        used.httpBytes += res.body.length;
        return res;
      },
    },
    plugins: { installed: () => deps.plugins.installed(sql) },
    config: structuredClone(inv.installation.config) as { [key: string]: Json },
  };
  return {
    ctx,
    dbStatements: () => statements,
    meterInto(meter) {
      meter.dbStatements += statements;
      meter.dbMs = (meter.dbMs ?? 0) + used.dbMs;
      meter.dbRows = (meter.dbRows ?? 0) + used.dbRows;
      meter.events = (meter.events ?? 0) + used.events;
      meter.httpRequests = (meter.httpRequests ?? 0) + used.httpRequests;
      meter.httpBytes = (meter.httpBytes ?? 0) + used.httpBytes;
    },
  };
}

export const integrityProblem = (pluginId: string) =>
  new Problem(500, 'ERP_PLUGIN_INTEGRITY', 'Plugin broke its unit of work', {
    detail: `Plugin ${pluginId} changed the transaction's role or tenant; its work was rolled back.`,
  });
