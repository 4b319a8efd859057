// The one route family every plugin is served through: /api/v1/p/<plugin>/<path>. Fastify's route
// table is fixed after start, so this handler picks, per request, the version the caller's tenant
// has installed, its router and compiled validators, checks the route's permission, and hands the
// call to the runner in the tenant's unit of work. Installing or switching a version only changes
// the map.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/index.js';
import { forbidden, Problem, validationProblem } from '../http/index.js';
import type { Authorizer } from '../rbac/index.js';
import type { TenantTx } from '../tenancy/index.js';
import type { PluginBindings } from './bindings.js';
import type { Installations } from './installations.js';
import { type PluginRunners, quarantinedProblem } from './runner/index.js';
import type { PluginVersions } from './versions.js';

export interface DispatchDeps {
  installations: Installations;
  versions: PluginVersions;
  authorizer: Authorizer;
  tenantTx: TenantTx;
  runners: PluginRunners;
  bindings: PluginBindings;
}

export function mountPluginDispatch(app: FastifyInstance, d: DispatchDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = request.principal as Principal;
    const { plugin: id, '*': rest } = request.params as { plugin: string; '*': string };
    const installation = (await d.installations.forTenant(principal.tenantId)).get(id);
    if (installation?.status !== 'enabled') {
      throw new Problem(404, 'ERP_PLUGIN_NOT_INSTALLED', 'Plugin not installed', {
        detail: `This tenant has no enabled plugin ${id}.`,
      });
    }
    const key = `${installation.package}@${installation.version}`;
    const state = await d.versions.getInstalled(installation);
    if (!state.ok) {
      throw state.code === 'ERP_PLUGIN_SANDBOX_REQUIRED'
        ? new Problem(503, state.code, 'Plugin needs the sandbox', {
            detail: state.error,
            retryAfterSeconds: 3600,
          })
        : quarantinedProblem(key, state.error);
    }
    const plugin = state.plugin;
    const found = plugin.find(request.method, `/${rest ?? ''}`);
    if (!found) {
      throw new Problem(404, 'ERP_ROUTE_NOT_FOUND', 'No such route', {
        detail: `${plugin.id}@${plugin.version} has no ${request.method} /${rest}.`,
      });
    }
    const { route } = found;
    if (!(await d.authorizer.allows(principal, route.def.permission))) throw forbidden(route.def.permission);
    const params = { ...found.params };
    const query = { ...(request.query as object) };
    const body = request.body ?? (route.validate.body ? undefined : null);
    const errors = [
      ...(route.validate.params?.(params) ?? []),
      ...(route.validate.query?.(query) ?? []),
      ...(route.validate.body ? (route.validate.body(body) ?? []) : []),
    ];
    if (errors.length) throw validationProblem(errors);
    // This instance may not have heard of the install yet: its events, subscriptions and jobs
    // must exist before the handler publishes (a no-op once bound).
    await d.bindings.ensure(plugin);
    const result = await d.tenantTx.run(principal.tenantId, (sql) =>
      d.runners.invoke(plugin, {
        kind: 'route',
        entry: route.key,
        sql,
        principal,
        installation,
        log: request.log,
        requestId: String(request.id),
        ip: request.ip,
        input: { body, params, query },
      }),
    );
    const status = route.def.status ?? 200;
    reply.code(status);
    if (status === 204) return reply.send();
    if (route.serialize) return reply.type('application/json').send(route.serialize(result));
    return result;
  };
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/v1/p/:plugin/*',
    config: { access: 'authenticated' },
    schema: { hide: true } as object,
    handler,
  });
}
