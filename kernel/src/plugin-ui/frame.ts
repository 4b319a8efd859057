// The document a third-party plugin element lives in (issue 19). The shell puts it in an
// `<iframe sandbox="allow-scripts">`: an opaque origin, so it can reach neither the shell's DOM,
// storage and cookies nor, with this CSP, any server (connect-src 'none': every API call goes
// through the shell's bridge with a scoped token). Scripts: the shell's frame runtime (its hashed
// /assets/) and this plugin version's own files only; no inline script, no eval. `sandbox` is in
// the CSP too, so the document is sandboxed even when opened on its own. The HTML is the shell's
// built frame.html with the module and element written into attributes (escaped).
import { defineRoute, notFound, Problem } from '../http/index.js';
import { type PluginVersions, pluginIdParam, uiModuleUrl, versionParam } from '../plugins/index.js';

/** What the route needs from the shell: the built frame.html (null when the shell is not built). */
export interface FrameTemplate {
  text(path: string): string | null;
}

export function frameCsp(origin: string, pluginAssets: string): string {
  return [
    "default-src 'none'",
    `script-src ${origin}/assets/ ${origin}${pluginAssets}`,
    "script-src-attr 'none'",
    // lit's adopted stylesheets need nothing; `style` attributes and <style> in shadow roots do.
    "style-src 'unsafe-inline'",
    'img-src data:',
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "frame-ancestors 'self'",
    // Forms fire their submit event for the element's handler; form-action 'none' stops any real submission.
    'sandbox allow-scripts allow-forms',
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function frameRoutes(d: { shell: FrameTemplate; versions: PluginVersions }) {
  return [
    defineRoute({
      method: 'GET',
      url: '/ui-frame/:plugin/:version/:element',
      access: 'public',
      summary: 'The sandboxed document a third-party plugin element is rendered in (strict CSP)',
      tags: ['plugins'],
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['plugin', 'version', 'element'],
        properties: {
          plugin: pluginIdParam,
          version: versionParam,
          element: { type: 'string', pattern: '^[a-z][a-z0-9]*-[a-z0-9-]+$', maxLength: 100 },
        },
      },
      handler: async ({ params, request, reply }) => {
        const entry = d.versions.catalog
          .versionsOf(params.plugin)
          .find((e) => e.pkg.version === params.version);
        const module = entry ? uiModuleUrl(entry) : null;
        if (!entry || !module || !entry.pkg.manifest.ui?.elements.includes(params.element))
          throw notFound('Plugin element');
        const template = d.shell.text('/frame.html');
        if (!template)
          throw new Problem(503, 'ERP_SHELL_NOT_BUILT', 'Web shell not built', {
            detail: 'Run pnpm --filter @erp/ui-shell build.',
          });
        const origin = `${request.protocol}://${request.host}`;
        const assets = `/plugins/${params.plugin}/${params.version}/`;
        const html = template.replace(
          '<html lang="en">',
          `<html lang="en" data-plugin="${escapeAttr(params.plugin)}" data-version="${escapeAttr(params.version)}" data-module="${escapeAttr(module)}" data-element="${escapeAttr(params.element)}">`,
        );
        reply
          .header('content-security-policy', frameCsp(origin, assets))
          .header('cache-control', 'no-cache')
          // The shell's page is in a site-keyed agent cluster; asking origin-keying here only warns.
          .removeHeader('origin-agent-cluster')
          .type('text/html; charset=utf-8');
        return html;
      },
    }),
  ];
}
