// The OpenAPI document a tenant sees: the kernel's routes plus the routes of the plugin versions
// that tenant has enabled, generated from the same schemas that validate them.
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../http/index.js';
import type { Installations } from './installations.js';
import type { PluginVersions } from './versions.js';

interface OpenApiCradle {
  pluginInstallations: Installations;
  pluginVersions: PluginVersions;
}

type Doc = {
  paths?: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string; description?: string }>;
};

function parametersOf(schema: unknown, where: 'path' | 'query') {
  const s = schema as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, sch]) => ({
    name,
    in: where,
    required: where === 'path' || (s?.required ?? []).includes(name),
    schema: sch,
  }));
}

export function tenantOpenApiRoute(app: FastifyInstance) {
  return defineRoute({
    method: 'GET',
    url: '/api/v1/openapi.json',
    access: 'authenticated',
    summary: 'OpenAPI 3.1 document of this tenant: the kernel and its enabled plugins',
    tags: ['meta'],
    handler: async ({ principal, scope }) => {
      const { pluginInstallations, pluginVersions } = scope.cradle as OpenApiCradle;
      const doc = structuredClone(app.swagger()) as Doc;
      doc.paths ??= {};
      doc.tags ??= [];
      for (const inst of (await pluginInstallations.forTenant(principal.tenantId)).values()) {
        if (inst.status !== 'enabled') continue;
        const state = await pluginVersions.get(inst.package, inst.version);
        if (!state.ok) continue;
        const p = state.plugin;
        doc.tags.push({ name: p.id, description: `${p.entry.pkg.manifest.displayName} ${p.version}` });
        for (const r of p.routes) {
          const path = `/api/v1/p/${p.id}${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
          const status = String(r.def.status ?? 200);
          doc.paths[path] ??= {};
          doc.paths[path][r.method.toLowerCase()] = {
            tags: [p.id],
            summary: r.def.summary ?? r.key,
            description: `Requires permission \`${r.def.permission}\`.`,
            security: [{ bearerAuth: [] }],
            parameters: [...parametersOf(r.def.params, 'path'), ...parametersOf(r.def.query, 'query')],
            ...(r.def.body
              ? { requestBody: { required: true, content: { 'application/json': { schema: r.def.body } } } }
              : {}),
            responses: {
              [status]:
                status === '204'
                  ? { description: 'No content' }
                  : { description: 'OK', content: { 'application/json': { schema: r.def.response ?? {} } } },
              '4XX': {
                description: 'Problem',
                content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
              },
            },
          };
        }
      }
      return doc;
    },
  });
}
