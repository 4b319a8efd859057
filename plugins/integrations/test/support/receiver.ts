// A real HTTP receiver on loopback: records every request (headers, raw body, arrival time) per
// path and answers what the test tells it to, e.g. 500 until it "recovers".
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url(path: string): string;
  /** Requests to `path`, oldest first. */
  got(path: string): Received[];
  /** How `path` answers from now on (default 204). */
  answer(path: string, status: number | (() => number)): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const log: Received[] = [];
  const answers = new Map<string, number | (() => number)>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      log.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const a = answers.get(path) ?? 204;
      res.statusCode = typeof a === 'function' ? a() : a;
      // A redirect points at another path of this receiver: the sender must not follow it.
      if (res.statusCode >= 300 && res.statusCode < 400) res.setHeader('location', '/elsewhere');
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    got: (path) => log.filter((r) => r.path === path),
    answer: (path, status) => answers.set(path, status),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
