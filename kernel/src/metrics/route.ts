// GET /metrics in Prometheus's text format, for a scraper holding ERP_METRICS_TOKEN. The labels
// name tenants and plugins, so the endpoint is never open: without a configured token it does not
// exist (404), and a wrong token is refused like any bad credential (401), compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { defineRoute, Problem } from '../http/index.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsRoute(registry: Registry, token: string | undefined) {
  const expected = token === undefined ? undefined : digest(token);
  return defineRoute({
    method: 'GET',
    url: '/metrics',
    access: 'public',
    summary: 'Prometheus metrics (bearer ERP_METRICS_TOKEN)',
    tags: ['meta'],
    handler: async ({ request, reply }) => {
      if (!expected)
        throw new Problem(404, 'ERP_METRICS_DISABLED', 'Metrics are not enabled', {
          detail: 'Set ERP_METRICS_TOKEN to let a Prometheus scraper read /metrics.',
        });
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected))
        throw new Problem(401, 'ERP_METRICS_UNAUTHORIZED', 'Metrics token required', {
          detail: 'Send Authorization: Bearer <ERP_METRICS_TOKEN>.',
        });
      const text = await registry.metrics();
      reply.header('cache-control', 'no-store').type(registry.contentType);
      return text;
    },
  });
}
