// Connects plugins to the kernel's bus and jobs, following installations while the kernel runs.
// What an instance serves is derived from the installations of every tenant: a plugin that some
// tenant has enabled has its event schemas declared, its subscriptions registered (durable
// consumers on NATS) and its jobs and cron schedules defined, for the union of the versions its
// tenants run; a plugin nobody runs any more has them removed. Every instance re-derives this when
// `kernel.plugin.changed` arrives (and when the catalogue changes), so installing, upgrading,
// rolling back, disabling or uninstalling takes effect everywhere without a restart. A delivery or
// cron run calls, through the runner, the handler of the version its own tenant has installed.
import type { Json } from '@erp/sdk';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import semver from 'semver';
import type { EventBus, EventEnvelope, EventRegistry } from '../events/index.js';
import type { JobContext, JobQueue } from '../jobs/index.js';
import type { Sql } from '../tenancy/index.js';
import type { Installation, Installations } from './installations.js';
import type { LoadedPlugin } from './loader.js';
import type { PluginRunners } from './runner/index.js';
import type { PluginVersions } from './versions.js';

const PIN_MS = 120_000;
const silent = pino({ enabled: false }) as unknown as FastifyBaseLogger;

export interface BindingDeps {
  versions: PluginVersions;
  installations: Installations;
  events: EventBus;
  eventRegistry: EventRegistry;
  jobs: JobQueue;
  runners: PluginRunners;
  /** Every active tenant (the installations of each are cached per tenant). */
  tenantIds: () => Promise<string[]>;
  log: () => FastifyBaseLogger | undefined;
  /** Why a plugin's events, subscriptions or jobs could not be bound (shown to admins). */
  problems: string[];
}

interface Bound {
  /** Version whose event schemas are declared. */
  events: string | null;
  subscriptions: Set<string>;
  jobs: Set<string>;
  /** Tenants that run the plugin enabled: the targets of its cron periods. */
  tenants: Set<string>;
}

export class PluginBindings {
  private readonly bound = new Map<string, Bound>();
  private readonly versionsBound = new Map<string, Promise<void>>();
  /** Binding work runs one step at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  /** Plugins a lifecycle step bound before its commit: not unbound until it commits (or gives up). */
  private readonly pins = new Map<string, number>();

  constructor(private readonly d: BindingDeps) {}

  private get log(): FastifyBaseLogger {
    const l = this.d.log() as Partial<FastifyBaseLogger> | undefined;
    return typeof l?.child === 'function' ? (l as FastifyBaseLogger) : silent;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  /** Follows installations from now on: on every kernel.plugin.changed and catalogue change. */
  async start(): Promise<void> {
    this.d.events.listen(
      'kernel.plugin.changed',
      (e) => {
        this.d.installations.invalidate((e.payload as { tenantId: string }).tenantId);
        void this.reconcile();
      },
      { onGap: () => void this.reconcile(true) },
    );
    this.d.versions.onChange(() => void this.reconcile());
    await this.reconcile();
  }

  /**
   * Makes sure this version's events, subscriptions and jobs are served here. Called before an
   * install commits (so the durable subscriber exists before the plugin can publish) and before a
   * request runs on an instance that has not yet heard of the change. Cheap once bound.
   */
  ensure(plugin: LoadedPlugin): Promise<void> {
    const key = `${plugin.id}\0${plugin.name}@${plugin.version}`;
    let done = this.versionsBound.get(key);
    if (!done) {
      done = this.serial(() => this.bindVersion(plugin));
      this.versionsBound.set(key, done);
      done.catch(() => this.versionsBound.delete(key));
    }
    return done;
  }

  /**
   * ensure() for a lifecycle step: until its unit of work commits, a reconcile (which sees only
   * committed installations) leaves the plugin bound. A step that rolls back releases the pin
   * after PIN_MS; the next reconcile then unbinds what nobody runs.
   */
  ensureForStep(plugin: LoadedPlugin, sql: Sql): Promise<void> {
    this.pins.set(plugin.id, (this.pins.get(plugin.id) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (this.pins.get(plugin.id) ?? 1) - 1;
      if (n > 0) this.pins.set(plugin.id, n);
      else this.pins.delete(plugin.id);
    };
    sql.afterCommit(release);
    setTimeout(release, PIN_MS).unref();
    return this.ensure(plugin);
  }

  /** Re-derives what this instance serves from every tenant's installations (coalesced). */
  reconcile(dropCaches = false): Promise<void> {
    this.queued ??= this.serial(async () => {
      this.queued = undefined;
      if (dropCaches) this.d.installations.invalidateAll();
      await this.reconcileNow();
    }).catch((err) => this.log.warn({ err: (err as Error).message }, 'plugin bindings not reconciled'));
    return this.queued;
  }

  private async reconcileNow(): Promise<void> {
    const wanted = new Map<string, { tenants: Set<string>; installs: Installation[] }>();
    for (const tenantId of await this.d.tenantIds()) {
      for (const i of (await this.d.installations.forTenant(tenantId)).values()) {
        if (i.status !== 'enabled') continue;
        const w = wanted.get(i.pluginId) ?? { tenants: new Set(), installs: [] };
        w.tenants.add(tenantId);
        if (!w.installs.some((x) => x.version === i.version)) w.installs.push(i);
        wanted.set(i.pluginId, w);
      }
    }
    const problems: string[] = [];
    const loaded = new Map<string, LoadedPlugin[]>();
    for (const [id, w] of wanted) {
      for (const i of w.installs) {
        const state = await this.d.versions.getInstalled(i);
        if (state.ok) loaded.set(id, [...(loaded.get(id) ?? []), state.plugin]);
        else problems.push(`${i.package}@${i.version}: ${state.error}`);
      }
      this.entry(id).tenants = w.tenants;
    }
    // Event types first: a subscriber may sort before its publisher.
    for (const versions of loaded.values()) {
      const newest = versions.reduce((a, b) => (semver.gt(b.version, a.version) ? b : a));
      this.declareEvents(newest, true, problems);
    }
    for (const [id, versions] of loaded) {
      for (const p of versions) await this.bindVersion(p, problems).catch(() => {});
      if (this.pins.has(id)) continue;
      // Entry points no version in use has any more (a rollback past the version that added them).
      const subs = new Set(versions.flatMap((p) => Object.keys(p.def.subscriptions ?? {})));
      const jobs = new Set(versions.flatMap((p) => Object.keys(p.def.jobs ?? {})));
      await this.unbind(id, subs, jobs, false);
    }
    for (const id of [...this.bound.keys()])
      if (!wanted.has(id) && !this.pins.has(id)) await this.unbind(id, new Set(), new Set(), true);
    this.d.problems.splice(0, this.d.problems.length, ...problems);
    for (const problem of problems) this.log.warn({ problem }, 'plugin binding skipped');
  }

  private entry(id: string): Bound {
    let b = this.bound.get(id);
    if (!b) {
      b = { events: null, subscriptions: new Set(), jobs: new Set(), tenants: new Set() };
      this.bound.set(id, b);
    }
    return b;
  }

  private declareEvents(p: LoadedPlugin, replace: boolean, problems: string[]): void {
    const b = this.entry(p.id);
    const events = p.def.events;
    if (!events || !Object.keys(events).length) return;
    if (b.events && !replace && !semver.gt(p.version, b.events)) return;
    if (b.events === p.version) return;
    try {
      this.d.eventRegistry.define(p.id, events as Record<string, Record<string, unknown>>);
      b.events = p.version;
    } catch (err) {
      problems.push(`${p.id}: events not declared: ${(err as Error).message}`);
    }
  }

  private async bindVersion(p: LoadedPlugin, problems: string[] = this.d.problems): Promise<void> {
    const id = p.id;
    const b = this.entry(id);
    this.declareEvents(p, false, problems);
    for (const [name, sub] of Object.entries(p.def.subscriptions ?? {})) {
      if (b.subscriptions.has(name)) continue;
      try {
        await this.d.events.subscribe({
          plugin: id,
          name,
          subject: sub.event,
          handler: (sql, event) => this.deliver(sql, id, name, event),
        });
        b.subscriptions.add(name);
      } catch (err) {
        // A subscription to events of a plugin no tenant runs (an optional partner, e.g. the
        // integrations importer) waits: the reconcile after that plugin's install binds it.
        if ((err as { code?: string }).code === 'ERP_SUBSCRIPTION_SUBJECT_UNDECLARED') continue;
        problems.push(`${p.name}@${p.version}: subscription ${name}: ${(err as Error).message}`);
      }
    }
    for (const [name, job] of Object.entries(p.def.jobs ?? {})) {
      if (b.jobs.has(name)) continue;
      try {
        this.d.jobs.define({
          plugin: id,
          name,
          ...(job.cron ? { cron: job.cron } : {}),
          tenants: async () => [...(this.bound.get(id)?.tenants ?? [])],
          run: (sql, job) => this.runJob(sql, id, name, job),
        });
        b.jobs.add(name);
      } catch (err) {
        problems.push(`${p.name}@${p.version}: job ${name}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Stops serving the plugin's subscriptions and jobs not in keep; `gone` (no tenant runs it any
   * more) also removes its event types.
   */
  private async unbind(
    id: string,
    keepSubs: Set<string>,
    keepJobs: Set<string>,
    gone: boolean,
  ): Promise<void> {
    const b = this.bound.get(id);
    if (!b) return;
    let removed = gone;
    for (const name of [...b.subscriptions]) {
      if (keepSubs.has(name)) continue;
      removed = true;
      // Nobody runs it: its durable consumer (or queued deliveries) goes too.
      await this.d.events.unsubscribe(id, name, { forget: true });
      b.subscriptions.delete(name);
    }
    for (const name of [...b.jobs]) {
      if (keepJobs.has(name)) continue;
      removed = true;
      this.d.jobs.undefine(id, name);
      b.jobs.delete(name);
    }
    // The next ensure() of any of its versions binds again what this removed.
    if (removed)
      for (const key of [...this.versionsBound.keys()])
        if (key.startsWith(`${id}\0`)) this.versionsBound.delete(key);
    if (gone) {
      if (b.events) this.d.eventRegistry.undefine(id);
      this.bound.delete(id);
    }
  }

  /** The installed version of the plugin for the tenant of `sql`, when enabled and loadable. */
  private async installed(
    sql: Sql,
    id: string,
  ): Promise<{ plugin: LoadedPlugin; installation: Installation } | null> {
    const installation = (await this.d.installations.forTenant(sql.tenantId)).get(id);
    if (installation?.status !== 'enabled') return null;
    const state = await this.d.versions.getInstalled(installation);
    if (!state.ok)
      throw new Error(`${installation.package}@${installation.version} is quarantined: ${state.error}`);
    return { plugin: state.plugin, installation };
  }

  private async deliver(sql: Sql, id: string, name: string, event: EventEnvelope): Promise<void> {
    const found = await this.installed(sql, id);
    if (!found) return;
    await this.d.runners.invoke(found.plugin, {
      kind: 'subscription',
      entry: name,
      sql,
      principal: null,
      installation: found.installation,
      log: this.log,
      input: {
        id: event.id,
        type: event.type,
        tenantId: event.tenantId,
        occurredAt: event.publishedAt,
        sequence: event.sequence,
        payload: event.payload as Json,
      },
    });
  }

  private async runJob(sql: Sql, id: string, name: string, job: JobContext): Promise<void> {
    const found = await this.installed(sql, id);
    if (!found) return;
    await this.d.runners.invoke(found.plugin, {
      kind: 'job',
      entry: name,
      sql,
      principal: null,
      installation: found.installation,
      log: this.log,
      input: job.payload as Json,
    });
  }
}
