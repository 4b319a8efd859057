// POST /api/v1/ui/plugin-tokens: the shell mints the scoped token of one plugin frame with the
// user's own session (never with an API key or another plugin token). The token carries the
// plugin's declared permissions the user holds now: the intersection the frame is offered, which
// is also what the authorizer enforces on every call (with the user's grants as they are then).
// It also carries the kernel routes the manifest was granted (kernel-api: capabilities) and, for
// each, the permission that route checks when the user holds it.
import { defineRoute, Problem } from '../http/index.js';
import { type Installations, type PluginVersions, pluginIdParam } from '../plugins/index.js';
import type { Authorizer } from '../rbac/index.js';
import { askedKernelRoutes, type UiKernelRoutes } from './kernel-routes.js';
import { PLUGIN_UI_TOKEN_MAX_TTL, type PluginUiTokens } from './tokens.js';

interface Cradle {
  pluginInstallations: Installations;
  pluginVersions: PluginVersions;
  authorizer: Authorizer;
  pluginUiTokens: PluginUiTokens;
  uiKernelRoutes: UiKernelRoutes;
}

export const pluginTokenRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/ui/plugin-tokens',
    access: 'authenticated',
    summary: 'A scoped token (≤ 60 s) for one plugin element\u2019s frame: that plugin\u2019s routes only',
    tags: ['plugins'],
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['plugin'],
      properties: {
        plugin: pluginIdParam,
        ttlSeconds: { type: 'integer', minimum: 1, maximum: PLUGIN_UI_TOKEN_MAX_TTL },
      },
    },
    status: 201,
    response: {
      type: 'object',
      required: ['token', 'expiresIn', 'plugin', 'version', 'permissions', 'kernelRoutes'],
      properties: {
        token: { type: 'string' },
        expiresIn: { type: 'integer' },
        plugin: { type: 'string' },
        version: { type: 'string' },
        permissions: { type: 'array', items: { type: 'string' } },
        kernelRoutes: { type: 'array', items: { type: 'string' } },
      },
    },
    handler: async ({ body, principal, scope }) => {
      if (principal.kind !== 'user' || principal.plugin || !principal.sessionId || !principal.userId) {
        throw new Problem(403, 'ERP_PLUGIN_TOKEN_SESSION_ONLY', 'A signed-in session is needed', {
          detail:
            'Plugin tokens are minted by the shell with a user session, not with an API key or a plugin token.',
        });
      }
      const c = scope.cradle as Cradle;
      const inst = (await c.pluginInstallations.forTenant(principal.tenantId)).get(body.plugin);
      const entry =
        inst?.status === 'enabled'
          ? c.pluginVersions.find(
              inst.package,
              inst.version,
              inst.source === 'registry' ? inst.integrity : null,
            )
          : undefined;
      if (!inst || !entry?.pkg.manifest.ui) {
        throw new Problem(404, 'ERP_PLUGIN_NOT_INSTALLED', 'Plugin not installed', {
          detail: `This tenant has no enabled plugin ${body.plugin} with a user interface.`,
          errors: [{ field: '/body/plugin', message: 'not installed, disabled or without a user interface' }],
        });
      }
      const permissions = new Set<string>();
      for (const p of Object.keys(entry.pkg.manifest.permissions ?? {}))
        if (await c.authorizer.allows(principal, p)) permissions.add(p);
      const kernelRoutes = askedKernelRoutes(entry.pkg.manifest.capabilities).filter((r) =>
        c.uiKernelRoutes.has(r),
      );
      for (const r of kernelRoutes) {
        const access = c.uiKernelRoutes.get(r);
        if (typeof access === 'object' && (await c.authorizer.allows(principal, access.permission)))
          permissions.add(access.permission);
      }
      const { token, expiresIn } = await c.pluginUiTokens.issue(
        {
          tenantId: principal.tenantId,
          userId: principal.userId,
          sessionId: principal.sessionId,
          pluginId: body.plugin,
          version: inst.version,
          permissions: [...permissions],
          kernelRoutes,
        },
        body.ttlSeconds,
      );
      return {
        token,
        expiresIn,
        plugin: body.plugin,
        version: inst.version,
        permissions: [...permissions],
        kernelRoutes,
      };
    },
  }),
];
