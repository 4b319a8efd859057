// /api/v1/plugins: the catalogue, the tenant's installations and every lifecycle step.
import { defineRoute, schemas } from '../http/index.js';
import type { PluginBreaker } from './breaker.js';
import type { Installation } from './installations.js';
import type { PluginLifecycle, StepContext } from './lifecycle.js';
import * as s from './schemas.js';
import type { PluginVersions } from './versions.js';

interface PluginCradle {
  pluginLifecycle: PluginLifecycle;
  pluginVersions: PluginVersions;
  pluginBreaker: PluginBreaker;
}

const manage = { permission: 'kernel.plugins.manage' } as const;
const read = { permission: 'kernel.plugins.read' } as const;

interface StepRequest {
  sql: StepContext['sql'];
  principal: StepContext['principal'];
  request: { log: StepContext['log']; id: unknown; ip: string };
  scope: { cradle: unknown };
}

const step = (c: StepRequest): StepContext => ({
  sql: c.sql,
  principal: c.principal,
  log: c.request.log,
  requestId: String(c.request.id),
  ip: c.request.ip,
});

async function withState(i: Installation, cradle: PluginCradle) {
  const state = await cradle.pluginVersions.get(i.package, i.version);
  const quarantined = state.ok ? cradle.pluginBreaker.quarantined(`${i.package}@${i.version}`) : state.error;
  return { ...i, state: quarantined ? 'quarantined' : 'ok', error: quarantined };
}

const lifecycle = (scope: { cradle: unknown }) => (scope.cradle as PluginCradle).pluginLifecycle;

/** Runs one lifecycle step and answers with the installation it leaves, with its state. */
async function transition(
  c: StepRequest,
  run: (lifecycle: PluginLifecycle, step: StepContext) => Promise<Installation>,
) {
  const cradle = c.scope.cradle as PluginCradle;
  return withState(await run(cradle.pluginLifecycle, step(c)), cradle);
}

export const pluginAdminRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/plugins',
    access: read,
    summary: 'The plugin catalogue and this tenant\u2019s installations (with quarantine state)',
    tags: ['plugins'],
    response: s.pluginList,
    handler: async ({ sql, scope }) => {
      const cradle = scope.cradle as PluginCradle;
      const byPackage = new Map<string, ReturnType<typeof cradle.pluginVersions.catalog.list>>();
      for (const e of cradle.pluginVersions.catalog.list())
        byPackage.set(e.pkg.name, [...(byPackage.get(e.pkg.name) ?? []), e]);
      const available = [...byPackage.values()].map((entries) => {
        const latest = entries.at(-1)!.pkg;
        return {
          package: latest.name,
          id: latest.manifest.id,
          displayName: latest.manifest.displayName,
          description: latest.manifest.description ?? '',
          trust: latest.manifest.trust,
          versions: entries.map((e) => e.pkg.version),
          kernelRange: latest.kernelRange,
          dependencies: latest.manifest.dependencies ?? {},
          permissions: latest.manifest.permissions ?? {},
          capabilities: latest.manifest.capabilities ?? [],
        };
      });
      const rows = await sql.query<Installation>(
        `select plugin_id as "pluginId", package, version, previous_version as "previousVersion", status, config,
                installed_at as "installedAt", updated_at as "updatedAt"
           from erp.plugin_installations where tenant_id = $1 order by plugin_id`,
        [sql.tenantId],
      );
      return { installed: await Promise.all(rows.map((r) => withState(r, cradle))), available };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/plugins/installations',
    access: manage,
    summary: 'Install a plugin (latest version unless one is named) for this tenant, without a restart',
    tags: ['plugins'],
    body: s.installBody,
    response: s.installation,
    status: 201,
    handler: async (c) => transition(c, (l, st) => l.install(st, c.body.plugin, c.body.version)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/plugins/installations/:id/upgrade',
    access: manage,
    summary:
      'Upgrade to a newer version (migrations are additive; the previous version is kept for rollback)',
    tags: ['plugins'],
    params: s.idParams,
    body: s.upgradeBody,
    response: s.installation,
    handler: async (c) => transition(c, (l, st) => l.upgrade(st, c.params.id, c.body.version)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/plugins/installations/:id/rollback',
    access: manage,
    summary: 'Return to the previous version; data written under the newer one is kept',
    tags: ['plugins'],
    params: s.idParams,
    body: schemas.noBody,
    response: s.installation,
    handler: async (c) => transition(c, (l, st) => l.rollback(st, c.params.id)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/plugins/installations/:id/enable',
    access: manage,
    summary: 'Enable an installed plugin',
    tags: ['plugins'],
    params: s.idParams,
    body: schemas.noBody,
    response: s.installation,
    handler: async (c) => transition(c, (l, st) => l.setEnabled(st, c.params.id, true)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/plugins/installations/:id/disable',
    access: manage,
    summary: 'Disable a plugin: its routes answer 404, its data stays',
    tags: ['plugins'],
    params: s.idParams,
    body: schemas.noBody,
    response: s.installation,
    handler: async (c) => transition(c, (l, st) => l.setEnabled(st, c.params.id, false)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/plugins/installations/:id/config',
    access: manage,
    summary: 'Replace the tenant\u2019s settings for the plugin (validated against its configSchema)',
    tags: ['plugins'],
    params: s.idParams,
    body: s.configBody,
    response: s.installation,
    handler: async (c) => transition(c, (l, st) => l.configure(st, c.params.id, c.body.config)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/plugins/installations/:id/uninstall-preview',
    access: manage,
    summary: 'What uninstalling with purge would delete: the tenant\u2019s rows per table',
    tags: ['plugins'],
    params: s.idParams,
    response: s.impact,
    handler: async (c) => lifecycle(c.scope).impact(c.sql, c.params.id),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/plugins/installations/:id',
    access: manage,
    summary: 'Uninstall; the tenant\u2019s data is kept unless ?purge=true',
    tags: ['plugins'],
    params: s.idParams,
    body: schemas.noBody,
    query: s.uninstallQuery,
    response: s.uninstallResult,
    handler: async (c) => lifecycle(c.scope).uninstall(step(c), c.params.id, c.query.purge === true),
  }),
];
