// UI contributions: the per-user UI manifest (which plugin elements and navigation entries this
// user may see) and the plugins' browser assets at immutable, versioned URLs.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, posix, sep } from 'node:path';
import { defineRoute, notFound } from '../http/index.js';
import type { Authorizer } from '../rbac/index.js';
import type { CatalogEntry } from './catalog.js';
import type { Installations } from './installations.js';
import { installationRuntime, type PluginRunners } from './runner/index.js';
import * as s from './schemas.js';
import type { PluginVersions } from './versions.js';

interface UiCradle {
  pluginInstallations: Installations;
  pluginVersions: PluginVersions;
  authorizer: Authorizer;
  pluginRunners: PluginRunners;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/** A plugin id and a version as they appear in asset and frame URLs. */
export const pluginIdParam = {
  type: 'string',
  pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
  maxLength: 30,
} as const;
export const versionParam = { type: 'string', pattern: '^[0-9A-Za-z.+-]{5,64}$' } as const;

export const assetUrl = (id: string, version: string, file: string) =>
  `/plugins/${id}/${version}/${file.replace(/^\.?\//, '')}`;

/** The URL of the ES module a version's manifest names (`erp.ui.module`), or null without a UI. */
export function uiModuleUrl(entry: CatalogEntry): string | null {
  const ui = entry.pkg.manifest.ui;
  if (!ui) return null;
  return assetUrl(
    entry.pkg.manifest.id,
    entry.pkg.version,
    posix.relative(posix.normalize(ui.assets ?? 'ui'), posix.normalize(ui.module)),
  );
}

export const uiRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/ui/manifest',
    access: 'authenticated',
    summary: 'The plugin elements and navigation entries the caller may see',
    tags: ['plugins'],
    response: s.uiManifest,
    handler: async ({ principal, scope }) => {
      const { pluginInstallations, pluginVersions, authorizer, pluginRunners } = scope.cradle as UiCradle;
      const plugins = [];
      for (const inst of (await pluginInstallations.forTenant(principal.tenantId)).values()) {
        if (inst.status !== 'enabled') continue;
        const entry = pluginVersions.find(
          inst.package,
          inst.version,
          inst.source === 'registry' ? inst.integrity : null,
        );
        const ui = entry?.pkg.manifest.ui;
        if (!entry || !ui) continue;
        const navigation = [];
        for (const nav of ui.navigation ?? []) {
          if (await authorizer.allows(principal, nav.permission))
            navigation.push({ label: nav.label, path: nav.path, element: nav.element });
        }
        // Code the tenant's trust policy sends to the sandbox draws its screens in a sandboxed
        // frame too (issue 19): the same decision, made once, for server and browser.
        const isolated =
          pluginRunners.runtimeOf({ ...entry, runtime: installationRuntime(inst) }) === 'sandbox';
        plugins.push({
          plugin: entry.pkg.manifest.id,
          displayName: entry.pkg.manifest.displayName,
          version: entry.pkg.version,
          module: uiModuleUrl(entry)!,
          elements: ui.elements,
          navigation,
          isolated,
        });
      }
      return { plugins };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/plugins/:id/:version/*',
    access: 'public',
    summary: 'A plugin\u2019s browser asset (immutable: the URL names the version)',
    tags: ['plugins'],
    params: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'version', '*'],
      properties: {
        id: pluginIdParam,
        version: versionParam,
        '*': { type: 'string', maxLength: 300 },
      },
    },
    handler: async ({ params, scope, reply }) => {
      const { pluginVersions } = scope.cradle as UiCradle;
      const entry = pluginVersions.catalog
        .versionsOf(params.id)
        .find((e) => e.pkg.version === params.version);
      const ui = entry?.pkg.manifest.ui;
      if (!entry || !ui) throw notFound('Plugin asset');
      const root = normalize(join(entry.dir, ui.assets ?? 'ui'));
      const file = normalize(join(root, params['*']));
      if (!file.startsWith(root + sep)) throw notFound('Plugin asset');
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        throw notFound('Plugin asset'); // missing, or a folder
      }
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        // Third-party elements load from an opaque-origin frame (issue 19): a module script there
        // is a CORS request from Origin: null. The files are public, immutable code; no credential.
        .header('access-control-allow-origin', '*')
        .header('cross-origin-resource-policy', 'cross-origin')
        .type(TYPES[extname(file)] ?? 'application/octet-stream');
      return body;
    },
  }),
];
