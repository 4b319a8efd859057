// /api/v1/tenant/outbound-policy: which non-public addresses this tenant's plugins may call
// (ctx.http.fetch still needs the host in the plugin's manifest). Changes are audited.
import { type AuditLog, requestAudit } from '../audit/index.js';
import { defineRoute, validationProblem } from '../http/index.js';
import { allowanceErrors, MAX_ALLOW_ENTRIES, type TenantOutbound } from './tenant-policy.js';

type Cradle = { tenantOutbound: TenantOutbound; audit: AuditLog };

const policy = {
  type: 'object',
  required: ['allowPrivate'],
  additionalProperties: false,
  properties: {
    allowPrivate: {
      type: 'array',
      maxItems: MAX_ALLOW_ENTRIES,
      items: { type: 'string', minLength: 1, maxLength: 64 },
      description:
        'IP addresses or CIDR ranges that are not public (e.g. 10.20.0.0/16) and that plugins may still reach',
    },
  },
} as const;

export const outboundPolicyRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/tenant/outbound-policy',
    access: { permission: 'kernel.tenant.read' },
    summary: 'The non-public addresses this tenant\u2019s plugins may reach',
    tags: ['tenant'],
    response: policy,
    handler: async ({ sql, scope }) => ({
      allowPrivate: await (scope.cradle as Cradle).tenantOutbound.allowance(sql),
    }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/tenant/outbound-policy',
    access: { permission: 'kernel.tenant.write' },
    summary: 'Replace the non-public addresses this tenant\u2019s plugins may reach (audited)',
    tags: ['tenant'],
    body: policy,
    response: policy,
    handler: async ({ sql, body, scope, principal, request }) => {
      const { tenantOutbound, audit } = scope.cradle as Cradle;
      const errors = allowanceErrors(body.allowPrivate, '/body/allowPrivate');
      if (errors.length) throw validationProblem(errors);
      const previous = await tenantOutbound.setAllowance(sql, body.allowPrivate, principal.userId);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'kernel.outbound-policy.changed',
        resource: { type: 'outbound-policy', id: null },
        change: { from: previous, to: body.allowPrivate },
      });
      return { allowPrivate: await tenantOutbound.allowance(sql) };
    },
  }),
];
