// A round-robin HTTP proxy in front of kernel replicas (replica-kill.test.ts), as a load balancer
// without health checks: each request goes to the next replica in turn; when that replica's
// connection fails, the client gets 502 and retries. Counts what each replica answered.
import { createServer, request as httpRequest, type Server } from 'node:http';

export interface RoundRobinProxy {
  url: string;
  /** Responses each upstream answered (index as in `upstreams`). */
  answered: number[];
  /** Requests answered 502 because the chosen upstream's connection failed. */
  badGateway: number;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const targets = upstreams.map((u) => new URL(u));
  const stats = { answered: upstreams.map(() => 0), badGateway: 0 };
  const server: Server = createServer((req, res) => {
    const i = next++ % targets.length;
    const target = targets[i]!;
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        stats.answered[i]!++;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.once('error', () => res.destroy());
      },
    );
    upstream.once('error', () => {
      if (res.headersSent) return void res.destroy();
      stats.badGateway++;
      res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    answered: stats.answered,
    get badGateway() {
      return stats.badGateway;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
