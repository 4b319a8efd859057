// Liveness (the process answers) and readiness (its dependencies answer): what orchestrators poll.
import { defineRoute, Problem } from '../http/index.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const statusResponse = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string' },
    checks: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

export function healthRoutes(checks: ReadinessCheck[]) {
  return [
    defineRoute({
      method: 'GET',
      url: '/health/live',
      access: 'public',
      summary: 'Liveness probe',
      tags: ['health'],
      response: statusResponse,
      handler: async () => ({ status: 'ok' }),
    }),
    defineRoute({
      method: 'GET',
      url: '/health/ready',
      access: 'public',
      summary: 'Readiness probe: database and bus answer',
      tags: ['health'],
      response: statusResponse,
      handler: async () => {
        const results: Record<string, string> = {};
        await Promise.all(
          checks.map(async (c) => {
            try {
              await Promise.race([
                c.check(),
                new Promise((_, fail) => setTimeout(() => fail(new Error('timeout')), 2000).unref()),
              ]);
              results[c.name] = 'ok';
            } catch (err) {
              results[c.name] = `failing: ${err instanceof Error ? err.message.slice(0, 100) : 'error'}`;
            }
          }),
        );
        const failing = Object.entries(results).filter(([, v]) => v !== 'ok');
        if (failing.length) {
          throw new Problem(503, 'ERP_NOT_READY', 'Not ready', {
            detail: failing.map(([k, v]) => `${k}: ${v}`).join('; '),
          });
        }
        return { status: 'ready', checks: results };
      },
    }),
  ];
}
