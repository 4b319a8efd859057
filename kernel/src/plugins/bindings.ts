// Connects plugins to the kernel's bus, jobs and audit log. Subscriptions and jobs are registered
// per (plugin, name) for every catalogued plugin at start; each delivery or run looks up the
// version its tenant has installed and calls that version's handler, or does nothing when the
// tenant has not installed (or has disabled) the plugin. So a durable consumer never depends on
// which tenant installed what, and versions switch without re-registering anything.
import type { Json } from '@erp/sdk';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import type { AuditLog } from '../audit/index.js';
import type { EventBus, EventRegistry } from '../events/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { Sql } from '../tenancy/index.js';
import { type ContextDeps, createPluginContext, integrityProblem } from './context.js';
import type { Installations } from './installations.js';
import type { LoadedPlugin } from './loader.js';
import type { PluginVersions } from './versions.js';

const silent = pino({ enabled: false }) as unknown as FastifyBaseLogger;

export function pluginSinks(d: { events: EventBus; jobs: JobQueue; audit: AuditLog }): ContextDeps {
  return {
    events: {
      async publish(sql, plugin, event, payload) {
        await d.events.publish(sql, `${plugin}.${event}`, payload);
      },
    },
    jobs: {
      async enqueue(sql, plugin, job, payload, options) {
        await d.jobs.enqueue(sql, `${plugin}.${job}`, payload ?? {}, options);
      },
    },
    audit: {
      async record(sql, e) {
        const actor =
          e.actor.kind === 'plugin'
            ? { type: 'plugin' as const, id: e.actor.plugin, userId: e.actor.userId }
            : e.actor.kind === 'apiKey'
              ? { type: 'apiKey' as const, id: e.actor.apiKeyId, userId: e.actor.userId }
              : e.actor.kind === 'user'
                ? { type: 'user' as const, id: e.actor.userId, userId: e.actor.userId }
                : { type: 'system' as const, id: e.actor.plugin ?? 'kernel', userId: null };
        await d.audit.record(sql, {
          actor,
          action: e.action,
          resource: { type: e.resource, id: e.resourceId ?? null },
          change: (e.data ?? null) as Json,
          requestId: e.requestId ?? null,
          clientIp: e.ip ?? null,
        });
      },
    },
  };
}

export class PluginBindings {
  private readonly registered = new Set<string>();

  constructor(
    private readonly d: {
      versions: PluginVersions;
      installations: Installations;
      events: EventBus;
      eventRegistry: EventRegistry;
      jobs: JobQueue;
      sinks: ContextDeps;
      log: () => FastifyBaseLogger;
      /** Why a plugin's events, subscriptions or jobs could not be bound (shown to admins). */
      problems: string[];
    },
  ) {}

  /**
   * Runs, in the event's or job's tenant transaction, the handler that the version this tenant
   * has installed provides; does nothing when the tenant lacks the plugin (or it is disabled) or
   * its version lacks the handler.
   */
  private async runInstalled<H>(
    sql: Sql,
    pluginId: string,
    pick: (plugin: LoadedPlugin) => H | undefined,
    call: (handler: H, ctx: ReturnType<typeof createPluginContext>) => Promise<void>,
  ): Promise<void> {
    const installation = (await this.d.installations.forTenant(sql.tenantId)).get(pluginId);
    if (installation?.status !== 'enabled') return;
    const state = await this.d.versions.get(installation.package, installation.version);
    if (!state.ok)
      throw new Error(`${installation.package}@${installation.version} is quarantined: ${state.error}`);
    const handler = pick(state.plugin);
    if (!handler) return;
    const base = this.d.log() as Partial<FastifyBaseLogger>;
    const log = typeof base?.child === 'function' ? (base as FastifyBaseLogger) : silent;
    const ctx = createPluginContext(
      { plugin: state.plugin, sql, principal: null, installation, log },
      this.d.sinks,
    );
    await call(handler, ctx);
    if (ctx.usedDb() && !(await sql.integrityCheck())) throw integrityProblem(pluginId);
  }

  /**
   * Declares event types and registers subscriptions and jobs of every catalogued plugin. Event
   * types of all plugins are declared first (a subscriber may sort before its publisher); a plugin
   * whose subscription cannot be registered is reported and skipped, never stopping the kernel.
   */
  async bindCatalogue(): Promise<void> {
    const byId = new Map<string, LoadedPlugin[]>();
    for (const e of this.d.versions.catalog.list()) {
      const state = await this.d.versions.get(e.pkg.name, e.pkg.version);
      if (state.ok) byId.set(e.pkg.manifest.id, [...(byId.get(e.pkg.manifest.id) ?? []), state.plugin]);
    }
    for (const [id, loaded] of byId) {
      // Event types: the newest version's schemas (versions within a major only add fields).
      const events = loaded.at(-1)!.def.events;
      if (!events || !Object.keys(events).length) continue;
      try {
        this.d.eventRegistry.define(id, events as Record<string, Record<string, unknown>>);
      } catch (err) {
        this.d.problems.push(`${id}: events not declared: ${(err as Error).message}`);
      }
    }
    for (const [id, loaded] of byId) {
      for (const p of loaded) {
        try {
          await this.bindVersion(id, p);
        } catch (err) {
          this.d.problems.push(`${p.name}@${p.version}: ${(err as Error).message}`);
        }
      }
    }
    for (const problem of this.d.problems) this.d.log().warn({ problem }, 'plugin binding skipped');
  }

  private async bindVersion(id: string, p: LoadedPlugin): Promise<void> {
    for (const [name, sub] of Object.entries(p.def.subscriptions ?? {})) {
      const key = `sub:${id}:${name}`;
      if (this.registered.has(key)) continue;
      await this.d.events.subscribe({
        plugin: id,
        name,
        subject: sub.event,
        handler: (sql, event) =>
          this.runInstalled(
            sql,
            id,
            (v) => v.def.subscriptions?.[name]?.handler,
            (handler, ctx) =>
              handler(ctx, {
                id: event.id,
                type: event.type,
                tenantId: event.tenantId,
                occurredAt: event.publishedAt,
                payload: event.payload as Json,
              }),
          ),
      });
      this.registered.add(key);
    }
    for (const [name, job] of Object.entries(p.def.jobs ?? {})) {
      const key = `job:${id}:${name}`;
      if (this.registered.has(key)) continue;
      this.d.jobs.define({
        plugin: id,
        name,
        ...(job.cron ? { cron: job.cron } : {}),
        run: (sql, job) =>
          this.runInstalled(
            sql,
            id,
            (v) => v.def.jobs?.[name]?.handler,
            (handler, ctx) => handler(ctx, job.payload as Json),
          ),
      });
      this.registered.add(key);
    }
  }
}
