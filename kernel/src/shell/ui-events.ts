// Server-sent events that tell a tenant's open shells their UI manifest changed, so navigation
// follows an install, upgrade, rollback, disable or removal (and a role change) without a reload.
// Driven by the kernel signals (Postgres NOTIFY at commit), so a change made through any kernel
// instance reaches the streams held by every instance. The event carries no data beyond the
// reason: each shell fetches its own per-user manifest, which applies that user's permissions.
// One listener fans out to all streams; a stream ends when its session is revoked, when its
// access token would have expired (the client reconnects with a fresh one) and when the kernel stops.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { KernelSignals } from '../signals/index.js';

interface Stream {
  tenantId: string;
  sessionId: string | null;
  res: ServerResponse;
  end(): void;
}

const HEARTBEAT_MS = 25_000;

export class UiEventHub {
  private readonly streams = new Set<Stream>();

  constructor(signals: KernelSignals) {
    signals.on((s) => {
      if (s.type === 'reset') {
        // Caches were dropped because a signal may have been missed: let every shell refetch.
        for (const st of this.streams) send(st, 'ui-manifest-changed', { reason: 'reset' });
      } else if (s.type === 'plugin.changed' || s.type === 'rbac.changed') {
        const reason = s.type === 'plugin.changed' ? `plugin:${s.id}` : 'roles';
        for (const st of this.streams)
          if (st.tenantId === s.tenantId) send(st, 'ui-manifest-changed', { reason });
      } else if (s.type === 'session.revoked') {
        for (const st of this.streams) if (st.tenantId === s.tenantId && st.sessionId === s.id) st.end();
      }
    });
  }

  get size(): number {
    return this.streams.size;
  }

  add(stream: Stream): void {
    this.streams.add(stream);
  }

  remove(stream: Stream): void {
    this.streams.delete(stream);
  }

  closeAll(): void {
    for (const st of [...this.streams]) st.end();
  }
}

function send(st: Stream, event: string, data: unknown): void {
  st.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** GET /api/v1/ui/events: mounted on fastify directly because it holds no unit of work open. */
export function mountUiEvents(app: FastifyInstance, hub: UiEventHub, accessTtlSeconds: number): void {
  app.addHook('preClose', (done) => {
    hub.closeAll();
    done();
  });
  app.route({
    method: 'GET',
    url: '/api/v1/ui/events',
    config: { access: 'authenticated' },
    schema: {
      summary:
        'Server-sent events: `ui-manifest-changed` whenever the caller\u2019s UI manifest may have changed',
      tags: ['plugins'],
      security: [{ bearerAuth: [] }],
    },
    handler: (request, reply) => {
      const principal = request.principal!;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no', // nginx: deliver each event at once
        connection: 'keep-alive',
      });
      let ended = false;
      const stream: Stream = {
        tenantId: principal.tenantId,
        sessionId: principal.sessionId,
        res,
        end: () => {
          if (ended) return;
          ended = true;
          clearInterval(heartbeat);
          clearTimeout(expiry);
          hub.remove(stream);
          res.end();
        },
      };
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      // The credential that opened the stream is not checked again; bound its life to the token's.
      const expiry = setTimeout(() => stream.end(), accessTtlSeconds * 1000);
      heartbeat.unref();
      expiry.unref();
      res.on('close', () => stream.end());
      hub.add(stream);
      send(stream, 'ready', { tenantId: principal.tenantId });
    },
  });
}
