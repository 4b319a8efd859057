// Install, upgrade, roll back, enable, disable, configure and uninstall a plugin for ONE tenant,
// each in that tenant's unit of work: either the installation row, its history entry, its audit
// entry, the hook's effects and the change signal all commit, or none does and the previous
// version keeps serving. Schema migrations are global and additive (see sql-guard.ts), applied
// first on the owner connection; a failed migration is rolled back entirely and refuses the step.
// Rollback returns to the previous version's code over the newer (additive) schema, so nothing
// written under the newer version is lost.
import type { Json, PluginPackage } from '@erp/sdk';
import type { FastifyBaseLogger } from 'fastify';
import semver from 'semver';
import type { Principal } from '../auth/index.js';
import { notFound, Problem } from '../http/index.js';
import type { Sql } from '../tenancy/index.js';
import { type ContextDeps, createPluginContext, integrityProblem } from './context.js';
import { type PluginDatabase, pluginRole, pluginSchema, type TableImpact } from './database.js';
import type { Installation, Installations } from './installations.js';
import { LoadError, type LoadedPlugin } from './loader.js';
import { checkDependencies, checkDependents, checkKernel } from './resolution.js';
import { compileValidator } from './validators.js';
import type { PluginVersions } from './versions.js';

type Action = 'install' | 'upgrade' | 'rollback' | 'enable' | 'disable' | 'uninstall' | 'configure';

/** The `action` of kernel.plugin.changed (events/kernel-events.ts) for each announced step. */
const ANNOUNCED = {
  install: 'installed',
  upgrade: 'upgraded',
  rollback: 'rolled-back',
  enable: 'enabled',
  disable: 'disabled',
  uninstall: 'removed',
} as const;

export interface LifecycleDeps extends ContextDeps {
  versions: PluginVersions;
  installations: Installations;
  database: PluginDatabase;
  kernelVersion: string;
}

export interface StepContext {
  sql: Sql;
  principal: Principal;
  log: FastifyBaseLogger;
  requestId?: string;
  ip?: string;
}

export class PluginLifecycle {
  constructor(private readonly d: LifecycleDeps) {}

  private async load(name: string, version: string): Promise<LoadedPlugin> {
    const entry = this.d.versions.findOrRescan(name, version);
    if (!entry)
      throw new Problem(404, 'ERP_PLUGIN_VERSION_UNKNOWN', 'Unknown plugin version', {
        detail: `${name}@${version} is not in the catalogue.`,
      });
    const state = await this.d.versions.get(name, version);
    if (!state.ok)
      throw new Problem(422, 'ERP_PLUGIN_LOAD_FAILED', 'Plugin failed to load', { detail: state.error });
    return state.plugin;
  }

  private async migrate(plugin: LoadedPlugin): Promise<void> {
    try {
      await this.d.database.migrate(plugin);
    } catch (err) {
      if (err instanceof LoadError)
        throw new Problem(422, 'ERP_PLUGIN_MIGRATION_FAILED', 'Plugin migration failed', {
          detail: err.message,
        });
      throw err;
    }
  }

  private packageOf = (i: Installation): PluginPackage | undefined =>
    this.d.versions.find(i.package, i.version)?.pkg;

  private async existing(sql: Sql, id: string): Promise<Installation> {
    const row = await this.d.installations.get(sql, id, true);
    if (!row)
      throw new Problem(404, 'ERP_PLUGIN_NOT_INSTALLED', 'Plugin not installed', {
        detail: `This tenant has not installed ${id}.`,
      });
    return row;
  }

  private async record(
    step: StepContext,
    id: string,
    action: Action,
    from: string | null,
    to: string | null,
    detail: Json = {},
  ) {
    const { sql, principal } = step;
    await sql.query(
      `insert into erp.plugin_history (tenant_id, plugin_id, action, from_version, to_version, actor, detail)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [sql.tenantId, id, action, from, to, principal.userId, JSON.stringify(detail)],
    );
    await this.d.audit.record(sql, {
      actor: { kind: principal.kind, userId: principal.userId, apiKeyId: principal.apiKeyId, plugin: null },
      action: `plugin.${action}`,
      resource: 'plugin',
      resourceId: id,
      data: { from, to, ...(detail as object) },
      requestId: step.requestId,
      ip: step.ip,
    });
    // Configuration is not a change of the tenant's plugin set; every other step is announced.
    if (action !== 'configure') {
      await this.d.events.publish(sql, 'kernel', 'plugin.changed', {
        tenantId: sql.tenantId,
        plugin: id,
        action: ANNOUNCED[action],
        version: (to ?? from)!,
      });
    }
    await this.d.installations.changed(sql, id);
  }

  private async runHook(
    step: StepContext,
    plugin: LoadedPlugin,
    installation: Pick<Installation, 'config'>,
    run: (ctx: ReturnType<typeof createPluginContext>) => Promise<void>,
  ) {
    const ctx = createPluginContext(
      {
        plugin,
        sql: step.sql,
        principal: step.principal,
        installation,
        log: step.log,
        requestId: step.requestId,
        ip: step.ip,
      },
      this.d,
    );
    try {
      await run(ctx);
    } catch (err) {
      throw new Problem(422, 'ERP_PLUGIN_HOOK_FAILED', 'Plugin hook failed', {
        detail: `${plugin.name}@${plugin.version}: ${(err as Error).message}`,
      });
    }
    if (ctx.usedDb() && !(await step.sql.integrityCheck())) throw integrityProblem(plugin.id);
  }

  async install(step: StepContext, name: string, version?: string): Promise<Installation> {
    const { sql } = step;
    // The named version, or the latest; one rescan of the plugin path for a package dropped in since.
    const lookup = () => {
      const all = this.d.versions.catalog.versionsOf(name);
      return version ? all.find((e) => e.pkg.version === version) : all.at(-1);
    };
    let entry = lookup();
    if (!entry) {
      this.d.versions.refresh();
      entry = lookup();
    }
    if (!entry) {
      throw version
        ? new Problem(404, 'ERP_PLUGIN_VERSION_UNKNOWN', 'Unknown plugin version', {
            detail: `${name}@${version} is not in the catalogue.`,
          })
        : new Problem(404, 'ERP_PLUGIN_UNKNOWN', 'Unknown plugin', {
            detail: `No plugin ${name} in the catalogue.`,
          });
    }
    const { pkg } = entry;
    if (await this.d.installations.get(sql, pkg.manifest.id, true)) {
      throw new Problem(409, 'ERP_PLUGIN_ALREADY_INSTALLED', 'Already installed', {
        detail: `${pkg.manifest.id} is already installed; upgrade it instead.`,
      });
    }
    checkKernel(pkg, this.d.kernelVersion);
    checkDependencies(pkg, await this.d.installations.list(sql));
    const plugin = await this.load(pkg.name, pkg.version);
    await this.migrate(plugin);
    await sql.query(
      `insert into erp.plugin_installations (tenant_id, plugin_id, package, version) values ($1, $2, $3, $4)`,
      [sql.tenantId, plugin.id, plugin.name, plugin.version],
    );
    if (plugin.def.hooks?.install)
      await this.runHook(step, plugin, { config: {} }, (ctx) => plugin.def.hooks!.install!(ctx));
    await this.record(step, plugin.id, 'install', null, plugin.version);
    return (await this.d.installations.get(sql, plugin.id))!;
  }

  /** Moves an installed plugin to another version (upgrade or rollback). */
  private async switchVersion(
    step: StepContext,
    id: string,
    target: string | null,
    action: 'upgrade' | 'rollback',
  ): Promise<Installation> {
    const { sql } = step;
    const current = await this.existing(sql, id);
    const version = action === 'rollback' ? current.previousVersion : target;
    if (!version)
      throw new Problem(409, 'ERP_PLUGIN_NO_PREVIOUS', 'Nothing to roll back to', {
        detail: `${id} has no previous version.`,
      });
    if (action === 'upgrade' && !semver.gt(version, current.version)) {
      throw new Problem(409, 'ERP_PLUGIN_NOT_NEWER', 'Not an upgrade', {
        detail: `${id} runs ${current.version}; ${version} is not newer. Use rollback to go back.`,
      });
    }
    const plugin = await this.load(current.package, version);
    checkKernel(plugin.entry.pkg, this.d.kernelVersion);
    const all = await this.d.installations.list(sql);
    checkDependencies(plugin.entry.pkg, all);
    checkDependents(current.package, version, all, this.packageOf);
    if (action === 'upgrade') await this.migrate(plugin);
    await sql.query(
      `update erp.plugin_installations set version = $3, previous_version = $4, updated_at = now()
        where tenant_id = $1 and plugin_id = $2`,
      [sql.tenantId, id, version, current.version],
    );
    if (action === 'upgrade' && plugin.def.hooks?.upgrade) {
      await this.runHook(step, plugin, current, (ctx) =>
        plugin.def.hooks!.upgrade!(ctx, { from: current.version, to: version }),
      );
    }
    await this.record(step, id, action, current.version, version);
    return (await this.d.installations.get(sql, id))!;
  }

  upgrade(step: StepContext, id: string, version: string): Promise<Installation> {
    return this.switchVersion(step, id, version, 'upgrade');
  }

  rollback(step: StepContext, id: string): Promise<Installation> {
    return this.switchVersion(step, id, null, 'rollback');
  }

  async setEnabled(step: StepContext, id: string, enabled: boolean): Promise<Installation> {
    const { sql } = step;
    const current = await this.existing(sql, id);
    const status = enabled ? 'enabled' : 'disabled';
    if (current.status === status) return current;
    const all = await this.d.installations.list(sql);
    if (enabled) {
      const pkg = this.packageOf(current);
      if (pkg) checkDependencies(pkg, all);
    } else {
      checkDependents(
        current.package,
        null,
        all.filter((i) => i.status === 'enabled'),
        this.packageOf,
      );
    }
    await sql.query(
      'update erp.plugin_installations set status = $3, updated_at = now() where tenant_id = $1 and plugin_id = $2',
      [sql.tenantId, id, status],
    );
    await this.record(step, id, enabled ? 'enable' : 'disable', current.version, current.version);
    return (await this.d.installations.get(sql, id))!;
  }

  async configure(step: StepContext, id: string, config: Record<string, unknown>): Promise<Installation> {
    const { sql } = step;
    const current = await this.existing(sql, id);
    const plugin = await this.load(current.package, current.version);
    if (plugin.def.configSchema) {
      const errors = compileValidator(
        plugin.def.configSchema,
        'body/config',
        false,
        () => new Error('invalid config schema'),
      )(config);
      if (errors)
        throw new Problem(400, 'ERP_VALIDATION', 'Configuration does not match the plugin\u2019s schema', {
          errors,
          detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
        });
    }
    await sql.query(
      'update erp.plugin_installations set config = $3, updated_at = now() where tenant_id = $1 and plugin_id = $2',
      [sql.tenantId, id, JSON.stringify(config)],
    );
    await this.record(step, id, 'configure', current.version, current.version, { keys: Object.keys(config) });
    return (await this.d.installations.get(sql, id))!;
  }

  /** What uninstalling would remove: the tenant's rows in each of the plugin's tables. */
  async impact(sql: Sql, id: string): Promise<{ plugin: string; version: string; tables: TableImpact[] }> {
    const current = await this.d.installations.get(sql, id);
    if (!current) throw notFound('Plugin installation');
    return { plugin: id, version: current.version, tables: await this.countRows(sql, id) };
  }

  private async tables(sql: Sql, id: string): Promise<string[]> {
    const rows = await sql.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'p') order by c.relname`,
      [pluginSchema(id)],
    );
    return rows.map((r) => r.relname);
  }

  private async countRows(sql: Sql, id: string): Promise<TableImpact[]> {
    const out: TableImpact[] = [];
    for (const t of await this.tables(sql, id)) {
      const [row] = await sql.queryAs<{ n: string }>(
        pluginRole(id),
        pluginSchema(id),
        `select count(*) as n from "${t}"`,
      );
      out.push({ table: t, rows: Number(row!.n) });
    }
    return out;
  }

  /**
   * Removes the plugin from the tenant. Data stays unless `purge` is asked for explicitly; then the
   * tenant's rows (only the tenant's: RLS) are deleted in the same unit of work.
   */
  async uninstall(
    step: StepContext,
    id: string,
    purge: boolean,
  ): Promise<{ purged: TableImpact[]; kept: TableImpact[] }> {
    const { sql } = step;
    const current = await this.existing(sql, id);
    checkDependents(current.package, null, await this.d.installations.list(sql), this.packageOf);
    const impact = await this.countRows(sql, id);
    let purged: TableImpact[] = [];
    if (purge) {
      const pending = impact.filter((t) => t.rows > 0).map((t) => t.table);
      // Children before parents: a table blocked by a foreign key is retried after the others.
      for (let pass = 0; pending.length && pass <= impact.length; pass++) {
        for (const t of [...pending]) {
          await sql.query('savepoint purge_table');
          try {
            const rows = await sql.queryAs(
              pluginRole(id),
              pluginSchema(id),
              `delete from "${t}" returning 1`,
            );
            await sql.query('release savepoint purge_table');
            purged.push({ table: t, rows: rows.length });
            pending.splice(pending.indexOf(t), 1);
          } catch {
            await sql.query('rollback to savepoint purge_table');
          }
        }
      }
      if (pending.length)
        throw new Problem(409, 'ERP_PLUGIN_PURGE_BLOCKED', 'Could not purge', {
          detail: `Rows in ${pending.join(', ')} are still referenced.`,
        });
      purged = purged.sort((a, b) => a.table.localeCompare(b.table));
    }
    await sql.query('delete from erp.plugin_installations where tenant_id = $1 and plugin_id = $2', [
      sql.tenantId,
      id,
    ]);
    await this.record(step, id, 'uninstall', current.version, null, {
      purge,
      rows: impact.reduce((n, t) => n + t.rows, 0),
    });
    return { purged, kept: purge ? [] : impact };
  }
}
