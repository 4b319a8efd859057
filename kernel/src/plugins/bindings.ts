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

const ACTIONS = {
  install: 'installed',
  upgrade: 'upgraded',
  rollback: 'rolled-back',
  enable: 'enabled',
  disable: 'disabled',
  uninstall: 'removed',
} as const;

export function pluginSinks(d: { events: EventBus; jobs: JobQueue; audit: AuditLog }): ContextDeps {
  return {
    events: {
      async publish(sql, plugin, event, payload) {
        if (plugin === 'kernel' && event === 'plugin.changed') {
          const p = payload as {
            tenantId: string;
            plugin: string;
            action: keyof typeof ACTIONS | 'configure';
            version: string;
          };
          if (p.action === 'configure') return; // configuration is not a change of the plugin set
          await d.events.publish(sql, 'kernel.plugin.changed', { ...p, action: ACTIONS[p.action] });
          return;
        }
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

  /** The version of `pluginId` the event's or job's tenant runs, if it is installed and enabled. */
  private async versionFor(sql: Sql, pluginId: string): Promise<LoadedPlugin | null> {
    const inst = (await this.d.installations.forTenant(sql.tenantId)).get(pluginId);
    if (inst?.status !== 'enabled') return null;
    const state = await this.d.versions.get(inst.package, inst.version);
    if (!state.ok) throw new Error(`${inst.package}@${inst.version} is quarantined: ${state.error}`);
    return state.plugin;
  }

  private async run(
    sql: Sql,
    plugin: LoadedPlugin,
    work: (ctx: ReturnType<typeof createPluginContext>) => Promise<void>,
  ) {
    const inst = (await this.d.installations.forTenant(sql.tenantId)).get(plugin.id)!;
    const base = this.d.log() as Partial<FastifyBaseLogger>;
    const log = typeof base?.child === 'function' ? (base as FastifyBaseLogger) : silent;
    const ctx = createPluginContext({ plugin, sql, principal: null, installation: inst, log }, this.d.sinks);
    await work(ctx);
    if (ctx.usedDb() && !(await sql.integrityCheck())) throw integrityProblem(plugin.id);
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
        handler: async (sql, event) => {
          const version = await this.versionFor(sql, id);
          const handler = version?.def.subscriptions?.[name]?.handler;
          if (!version || !handler) return; // not installed for this tenant, or not in its version
          await this.run(sql, version, (ctx) =>
            handler(ctx, {
              id: event.id,
              type: event.type,
              tenantId: event.tenantId,
              occurredAt: event.publishedAt,
              payload: event.payload as Json,
            }),
          );
        },
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
        run: async (sql, ctxJob) => {
          const version = await this.versionFor(sql, id);
          const handler = version?.def.jobs?.[name]?.handler;
          if (!version || !handler) return;
          await this.run(sql, version, (ctx) => handler(ctx, ctxJob.payload as Json));
        },
      });
      this.registered.add(key);
    }
  }
}
