// /api/v1/marketplace: the catalogue, install preview and install (also upgrades, through the
// same consent), pins; /api/v1/tenant/plugin-trust-policy. Rollback and uninstall stay the plugin
// host's routes (/api/v1/plugins/installations/:id/rollback, DELETE …/:id), whose audit entries
// name the version's integrity, signing key and consent.
import { type AuditLog, requestAudit } from '../audit/index.js';
import { defineRoute, schemas } from '../http/index.js';
import {
  type Installation,
  type Installations,
  installationSchema,
  type StepContext,
} from '../plugins/index.js';
import type { Catalogue } from './catalogue.js';
import type { MarketplaceInstaller } from './installer.js';
import { setPinned } from './pins.js';
import * as s from './schemas.js';
import type { TrustPolicies } from './trust-policy.js';

export interface MarketplaceRouteDeps {
  catalogue: Catalogue;
  installer: MarketplaceInstaller;
  policies: TrustPolicies;
  installations: Installations;
  audit: AuditLog;
}

const read = { permission: 'kernel.plugins.read' } as const;
const manage = { permission: 'kernel.plugins.manage' } as const;

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

const withState = (i: Installation) => ({ ...i, state: 'ok', error: null });

export function marketplaceRoutes(d: MarketplaceRouteDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/marketplace/plugins',
      access: read,
      summary:
        'Search the marketplace\u2019s plugins (publisher, signature status, compatibility with this kernel)',
      tags: ['marketplace'],
      query: s.searchQuery,
      response: s.searchResult,
      handler: async ({ query }) => ({ plugins: await d.catalogue.search(query.q ?? '', query.limit ?? 20) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/marketplace/plugins/:name',
      access: read,
      summary:
        'One plugin: every version with kernel compatibility, permissions, capabilities, dependencies, signatures, deprecated/yanked, and its README',
      tags: ['marketplace'],
      params: s.nameParams,
      response: s.details,
      handler: async ({ params }) => d.catalogue.details(params.name),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/marketplace/install-preview',
      access: manage,
      summary:
        'Resolve a plugin range for this tenant: the version, its dependencies, where it would run, and the consent to give (on upgrade, what is new) with its hash',
      tags: ['marketplace'],
      body: s.previewBody,
      response: s.preview,
      handler: async ({ sql, body }) => d.installer.preview(sql, body.package, body.range),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/marketplace/installs',
      access: manage,
      summary:
        'Install (or upgrade to) a version from the registry with the consent hash of its preview; refused when the release or grant changed',
      tags: ['marketplace'],
      body: s.installBody,
      response: installationSchema,
      status: 201,
      handler: async (c) => withState(await d.installer.install(step(c), c.body)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/marketplace/installations/:id/pin',
      access: manage,
      summary: 'Pin the installed version: no upgrade moves it until it is unpinned',
      tags: ['marketplace'],
      params: s.idParams,
      body: schemas.noBody,
      response: installationSchema,
      handler: async (c) => withState(await setPinned(d, step(c), c.params.id, true)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/marketplace/installations/:id/unpin',
      access: manage,
      summary: 'Unpin an installation',
      tags: ['marketplace'],
      params: s.idParams,
      body: schemas.noBody,
      response: installationSchema,
      handler: async (c) => withState(await setPinned(d, step(c), c.params.id, false)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tenant/plugin-trust-policy',
      access: { permission: 'kernel.tenant.read' },
      summary:
        'Whose plugins this tenant trusts to run in the kernel\u2019s process, and what it lets into the sandbox',
      tags: ['tenant', 'marketplace'],
      response: s.trustPolicy,
      handler: async ({ sql }) => d.policies.get(sql),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/tenant/plugin-trust-policy',
      access: { permission: 'kernel.tenant.write' },
      summary:
        'Replace this tenant\u2019s plugin trust policy (audited); installed plugins keep the runtime chosen at install',
      tags: ['tenant', 'marketplace'],
      body: s.trustPolicy,
      response: s.trustPolicy,
      handler: async ({ sql, body, principal, request }) => {
        const previous = await d.policies.set(sql, body, principal.userId);
        const next = await d.policies.get(sql);
        await d.audit.record(sql, {
          ...requestAudit(request, principal),
          action: 'kernel.plugin-trust-policy.changed',
          resource: { type: 'plugin-trust-policy', id: null },
          change: { from: { ...previous }, to: { ...next } },
        });
        return next;
      },
    }),
  ];
}
