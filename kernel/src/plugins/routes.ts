// /api/v1/plugins: the catalogue (with the folders that cannot be installed and why), the
// tenant's installations, every lifecycle step, and the usage counters of the tenant's plugins.
import { defineRoute, schemas } from '../http/index.js';
import type { Installation, Installations } from './installations.js';
import type { PluginLifecycle, StepContext } from './lifecycle/index.js';
import type { PluginRunners } from './runner/index.js';
import * as s from './schemas.js';
import type { PluginVersions } from './versions.js';

export interface PluginRouteDeps {
  lifecycle: PluginLifecycle;
  installations: Installations;
  versions: PluginVersions;
  runners: PluginRunners;
}

const manage = { permission: 'kernel.plugins.manage' } as const;
const read = { permission: 'kernel.plugins.read' } as const;

interface StepRequest {
  sql: StepContext['sql'];
  principal: StepContext['principal'];
  request: { log: StepContext['log']; id: unknown; ip: string };
}

const step = (c: StepRequest): StepContext => ({
  sql: c.sql,
  principal: c.principal,
  log: c.request.log,
  requestId: String(c.request.id),
  ip: c.request.ip,
});

export function pluginAdminRoutes(d: PluginRouteDeps) {
  async function withState(i: Installation) {
    const state = await d.versions.getInstalled(i);
    const quarantined = state.ok ? d.runners.quarantined(state.plugin) : state.error;
    return { ...i, state: quarantined ? 'quarantined' : 'ok', error: quarantined };
  }

  /** Runs one lifecycle step and answers with the installation it leaves, with its state. */
  const transition = async (
    c: StepRequest,
    run: (lifecycle: PluginLifecycle, step: StepContext) => Promise<Installation>,
  ) => withState(await run(d.lifecycle, step(c)));

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/plugins',
      access: read,
      summary:
        'The plugin catalogue (with folders that cannot be installed) and this tenant\u2019s installations',
      tags: ['plugins'],
      response: s.pluginList,
      handler: async ({ sql }) => {
        const byPackage = new Map<string, ReturnType<typeof d.versions.catalog.list>>();
        for (const e of d.versions.catalog.list())
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
        const rows = await d.installations.list(sql);
        return {
          installed: await Promise.all(rows.map(withState)),
          available,
          problems: await d.versions.problems(),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/plugins/usage',
      access: read,
      summary:
        'Calls into this tenant\u2019s plugins per version on this instance: invocations, failures, SQL statements, wall time',
      tags: ['plugins'],
      response: s.usageList,
      handler: async ({ sql }) => ({ usage: d.runners.usage.forTenant(sql.tenantId) }),
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
      handler: async (c) => d.lifecycle.impact(c.sql, c.params.id),
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
      handler: async (c) => d.lifecycle.uninstall(step(c), c.params.id, c.query.purge === true),
    }),
  ];
}
