// Builds the `ctx` a plugin handler receives: capabilities bound to one tenant transaction, the
// plugin's own database role and schema, its declared events, jobs and hosts. Nothing else leaks.
import type { Json, PluginContext } from '@erp/sdk';
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../auth/index.js';
import { Problem } from '../http/index.js';
import type { Sql } from '../tenancy/index.js';
import { pluginRole, pluginSchema } from './database.js';
import type { Installation } from './installations.js';
import type { LoadedPlugin } from './loader.js';
import type { Actor, PluginAuditSink, PluginEventSink, PluginJobSink } from './sinks.js';
import { guardPluginSql, pluginFunctionNames, pluginSqlError } from './sql/index.js';

export interface ContextDeps {
  events: PluginEventSink;
  jobs: PluginJobSink;
  audit: PluginAuditSink;
}

export interface ContextInput {
  plugin: LoadedPlugin;
  sql: Sql;
  principal: Principal | null;
  installation: Pick<Installation, 'config'>;
  log: FastifyBaseLogger;
  requestId?: string;
  ip?: string;
}

const FETCH_TIMEOUT_MS = 10_000;
const FETCH_MAX_BYTES = 5 * 1024 * 1024;

function allowedHost(capabilities: readonly string[], url: URL): boolean {
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  return (
    capabilities.includes(`http:${host}`) || (!url.port && capabilities.includes(`http:${url.hostname}`))
  );
}

export function createPluginContext(
  input: ContextInput,
  deps: ContextDeps,
): PluginContext & { usedDb(): boolean } {
  const { plugin, sql, principal } = input;
  const role = pluginRole(plugin.id);
  const schema = pluginSchema(plugin.id);
  const capabilities = plugin.entry.pkg.manifest.capabilities ?? [];
  let usedDb = false;
  // The child logger is made on first use: most handlers never log.
  let child: FastifyBaseLogger | undefined;
  const log = () => (child ??= input.log.child({ plugin: plugin.id, pluginVersion: plugin.version }));
  const actor: Actor = {
    kind: principal ? principal.kind : 'plugin',
    userId: principal?.userId ?? null,
    apiKeyId: principal?.apiKeyId ?? null,
    plugin: plugin.id,
  };
  const run = async <R>(text: string, params?: readonly Json[]) => {
    if (typeof text !== 'string') throw new TypeError('ctx.db.query: sql must be a string');
    try {
      guardPluginSql(plugin.id, text, pluginFunctionNames(plugin.migrations));
    } catch (err) {
      sql.doom(err as Error); // refused SQL rolls the unit of work back even if the plugin catches it
      throw err;
    }
    usedDb = true;
    return sql.queryAs<R>(role, schema, text, params).catch((err) => {
      throw pluginSqlError(plugin.id, err);
    });
  };
  return {
    usedDb: () => usedDb,
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
      record: (entry) =>
        deps.audit.record(sql, { ...entry, actor, requestId: input.requestId, ip: input.ip }),
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
      async fetch(url, init = {}) {
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          throw new Problem(500, 'ERP_HTTP_URL_INVALID', 'Invalid URL', {
            detail: `Plugin ${plugin.id} fetched ${url}.`,
          });
        }
        if (!['http:', 'https:'].includes(target.protocol) || !allowedHost(capabilities, target)) {
          throw new Problem(500, 'ERP_HTTP_HOST_UNDECLARED', 'Host not declared', {
            detail: `Plugin ${plugin.id} may not call ${target.host}: its manifest does not declare http:${target.host}.`,
          });
        }
        // The unit of work must still be intact before anything leaves the process.
        if (usedDb && !(await sql.integrityCheck())) throw integrityProblem(plugin.id);
        const res = await fetch(target, {
          method: init.method ?? 'GET',
          headers: init.headers,
          body: init.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        });
        const body = await res.text();
        if (body.length > FETCH_MAX_BYTES)
          throw new Problem(502, 'ERP_HTTP_TOO_LARGE', 'Upstream response too large');
        return { status: res.status, headers: Object.fromEntries(res.headers), body };
      },
    },
    config: structuredClone(input.installation.config) as { [key: string]: Json },
  };
}

export const integrityProblem = (pluginId: string) =>
  new Problem(500, 'ERP_PLUGIN_INTEGRITY', 'Plugin broke its unit of work', {
    detail: `Plugin ${pluginId} changed the transaction's role or tenant; its work was rolled back.`,
  });
