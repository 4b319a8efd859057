// Safe outbound HTTP, written as the attacks: a plugin (or a webhook URL) aiming at loopback, private,
// link-local and metadata addresses by literal, by numeric trick or by a name that resolves there,
// and a DNS answer that changes between check and connect. Every refusal happens before a socket is
// opened: the connector below wraps the real one and records each attempt, and the only servers that
// ever receive traffic are the loopback servers this file starts.
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../src/http/index.js';
import {
  type ConnectOptions,
  type Connector,
  createOutboundFetch,
  type OutboundPolicy,
  type ResolvedAddress,
  type Resolver,
  systemConnector,
} from '../src/outbound/index.js';

interface Seen {
  method: string;
  url: string;
  host: string | undefined;
  body: string;
}

/** A loopback server that records what reaches it; `handle` decides the answer. */
async function startServer(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const requests: Seen[] = [];
  let connections = 0;
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host, body });
    handle(req, res);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The real connector, counting every socket it is asked to open. */
function spyConnector() {
  const attempts: ConnectOptions[] = [];
  const connect: Connector = (options) => {
    attempts.push(options);
    return systemConnector(options);
  };
  return { connect, attempts };
}

/** Plays DNS: answers from a table (or a function of the call count), recording every question. */
function fakeResolver(answer: (name: string, call: number) => string[]) {
  const asked: string[] = [];
  const resolve: Resolver = async (name) => {
    asked.push(name);
    const addresses = answer(name, asked.length);
    if (addresses.length === 0) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the call should have failed').toBeInstanceOf(Problem);
  return err as Problem;
}

const LOOPBACK_ALLOWED: OutboundPolicy = { allowPrivate: ['127.0.0.0/8'] };

describe('outbound fetch refuses what is not public', () => {
  let target: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    target = await startServer((_req, res) => res.end('internal secret'));
  });
  afterAll(() => target.close());

  const loopbackForms = (port: number) => [
    `http://127.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
  ];

  it('normalises numeric host forms to 127.0.0.1 before checking (WHATWG URL parsing)', () => {
    for (const url of loopbackForms(80).slice(0, 5)) expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
  });

  it('refuses loopback by every literal form, without opening a socket', async () => {
    const spy = spyConnector();
    const fetch = createOutboundFetch({}, { connect: spy.connect });
    for (const url of loopbackForms(target.port)) {
      const problem = await problemOf(fetch(url));
      expect(problem.code, url).toBe('ERP_HTTP_ADDRESS_REFUSED');
      expect(problem.message, url).toMatch(/loopback/);
    }
    expect(problem500Detail(await problemOf(fetch(`http://2130706433:${target.port}/`)))).toContain(
      '127.0.0.1',
    );
    expect(spy.attempts).toEqual([]);
    expect(target.connections()).toBe(0);
  });

  it('refuses [::1]', async () => {
    const spy = spyConnector();
    const fetch = createOutboundFetch({}, { connect: spy.connect });
    const problem = await problemOf(fetch(`http://[::1]:${target.port}/`));
    expect(problem.code).toBe('ERP_HTTP_ADDRESS_REFUSED');
    expect(problem.message).toMatch(/::1 is a loopback address/);
    expect(spy.attempts).toEqual([]);
  });

  it('refuses `localhost`, a name the system resolver maps to loopback', async () => {
    const spy = spyConnector();
    const fetch = createOutboundFetch({}, { connect: spy.connect });
    const problem = await problemOf(fetch(`http://localhost:${target.port}/`));
    expect(problem.code).toBe('ERP_HTTP_ADDRESS_REFUSED');
    expect(problem.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(spy.attempts).toEqual([]);
    expect(target.connections()).toBe(0);
  });

  it('refuses private, link-local, metadata and other special ranges by literal and by name, before connecting', async () => {
    const cases: [string, RegExp][] = [
      ['10.0.0.1', /private \(RFC 1918\)/],
      ['172.16.5.4', /private/],
      ['192.168.1.1', /private/],
      ['169.254.169.254', /cloud metadata/],
      ['169.254.10.10', /link-local/],
      ['100.64.0.1', /carrier-grade NAT/],
      ['0.0.0.0', /unspecified/],
      ['255.255.255.255', /broadcast/],
      ['224.0.0.1', /multicast/],
      ['fe80::1', /link-local/],
      ['fc00::1', /unique-local/],
      ['fd00:ec2::254', /cloud metadata/],
      ['::ffff:10.0.0.1', /private/],
      ['::ffff:169.254.169.254', /cloud metadata/],
      ['::7f00:1', /IPv4-compatible/],
      ['64:ff9b::a00:1', /special-purpose/],
    ];
    const spy = spyConnector();
    const dns = fakeResolver((name) => [name.replace(/^h-/, '').replaceAll('-', ':').replace(/_/g, '.')]);
    const fetch = createOutboundFetch({}, { connect: spy.connect, resolve: dns.resolve });
    for (const [address, why] of cases) {
      const literal = address.includes(':') ? `[${address}]` : address;
      const byLiteral = await problemOf(fetch(`http://${literal}/`));
      expect(byLiteral.code, address).toBe('ERP_HTTP_ADDRESS_REFUSED');
      expect(byLiteral.message, address).toMatch(why);
      // The same address reached through a name: h-10_0_0_1 → 10.0.0.1, h-fe80--1 → fe80::1.
      const name = `h-${address.replaceAll(':', '-').replaceAll('.', '_')}`;
      const byName = await problemOf(fetch(`https://${name}/latest/meta-data/`));
      expect(byName.code, name).toBe('ERP_HTTP_ADDRESS_REFUSED');
      expect(byName.message, name).toMatch(why);
      expect(byName.message, name).toContain(name);
    }
    expect(dns.asked).toHaveLength(cases.length);
    expect(spy.attempts).toEqual([]);
  });

  it('keeps metadata addresses refused when only their range is allowed', async () => {
    const spy = spyConnector();
    const fetch = createOutboundFetch(
      { allowPrivate: ['169.254.0.0/16', 'fd00::/8'] },
      { connect: spy.connect },
    );
    for (const url of ['http://169.254.169.254/', 'http://[fd00:ec2::254]/']) {
      const problem = await problemOf(fetch(url));
      expect(problem.message, url).toMatch(/cloud metadata/);
    }
    expect(spy.attempts).toEqual([]);
  });

  it('refuses a name whose answers mix a public address and loopback: every answer is checked', async () => {
    const spy = spyConnector();
    const dns = fakeResolver(() => ['8.8.8.8', '127.0.0.1']);
    const fetch = createOutboundFetch({}, { connect: spy.connect, resolve: dns.resolve });
    const problem = await problemOf(fetch(`http://rebind.example:${target.port}/`));
    expect(problem.code).toBe('ERP_HTTP_ADDRESS_REFUSED');
    expect(problem.message).toMatch(/rebind\.example resolves to 127\.0\.0\.1, a loopback address/);
    expect(spy.attempts).toEqual([]);
    expect(target.connections()).toBe(0);
  });

  it('refuses URLs that are not absolute http(s) without credentials', async () => {
    const fetch = createOutboundFetch();
    for (const url of [
      'not a url',
      '/relative',
      'ftp://example.com/',
      'file:///etc/passwd',
      'http://u:p@example.com/',
    ]) {
      expect((await problemOf(fetch(url))).code, url).toBe('ERP_HTTP_URL_INVALID');
    }
  });

  it('refuses a policy entry that is not an address or range', () => {
    expect(() => createOutboundFetch({ allowPrivate: ['10.0.0.0/33'] })).toThrow(
      expect.objectContaining({ code: 'ERP_HTTP_POLICY_INVALID' }),
    );
  });
});

describe('outbound fetch to allowed addresses', () => {
  let target: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    target = await startServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end();
        return;
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'content-type': 'text/plain', 'x-echo': req.headers['x-echo'] ?? '' });
      res.end(`hello ${req.method}`);
    });
  });
  afterAll(() => target.close());

  it('reaches a loopback server when the tenant allows 127.0.0.0/8', async () => {
    const fetch = createOutboundFetch(LOOPBACK_ALLOWED);
    const res = await fetch(`http://127.0.0.1:${target.port}/things?x=1`, {
      method: 'POST',
      headers: { 'x-echo': 'yes', host: 'spoofed.example' },
      body: 'ünïcode',
    });
    expect(res).toMatchObject({ status: 201, body: 'hello POST' });
    expect(res.headers['x-echo']).toBe('yes');
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(target.requests.at(-1)).toEqual({
      method: 'POST',
      url: '/things?x=1',
      host: `127.0.0.1:${target.port}`,
      body: 'ünïcode',
    });
  });

  it('still refuses loopback by default and what the allowance does not cover', async () => {
    const spy = spyConnector();
    const fetch = createOutboundFetch(LOOPBACK_ALLOWED, { connect: spy.connect });
    expect((await problemOf(fetch('http://10.1.2.3/'))).code).toBe('ERP_HTTP_ADDRESS_REFUSED');
    expect((await problemOf(fetch(`http://[::1]:${target.port}/`))).code).toBe('ERP_HTTP_ADDRESS_REFUSED');
    expect(spy.attempts).toEqual([]);
  });

  it('resolves once and connects to the checked address, keeping the name in the Host header', async () => {
    // A rebinding resolver: the first answer is the allowed loopback server, every later answer an
    // address that is never allowed. Only one question is asked, so the later answers never matter.
    const dns = fakeResolver((_name, call) => (call === 1 ? ['127.0.0.1'] : ['10.9.9.9']));
    const spy = spyConnector();
    const fetch = createOutboundFetch(LOOPBACK_ALLOWED, { resolve: dns.resolve, connect: spy.connect });
    const before = target.requests.length;
    const res = await fetch(`http://made-up.example:${target.port}/pinned`);
    expect(res.status).toBe(201);
    expect(dns.asked).toEqual(['made-up.example']);
    expect(spy.attempts.map((a) => [a.host, a.port])).toEqual([['made-up.example', target.port]]);
    expect(target.requests.slice(before)).toEqual([
      { method: 'GET', url: '/pinned', host: `made-up.example:${target.port}`, body: '' },
    ]);
  });

  it('refuses a header Node cannot send, before connecting', async () => {
    const spy = spyConnector();
    const fetch = createOutboundFetch(LOOPBACK_ALLOWED, { connect: spy.connect });
    const problem = await problemOf(
      fetch(`http://127.0.0.1:${target.port}/`, { headers: { 'x-evil': 'a\r\nx-injected: 1' } }),
    );
    expect(problem.code).toBe('ERP_HTTP_REQUEST_INVALID');
    expect(spy.attempts).toEqual([]);
  });

  it('returns a redirect to the caller instead of following it', async () => {
    const fetch = createOutboundFetch(LOOPBACK_ALLOWED);
    const before = target.requests.length;
    const res = await fetch(`http://127.0.0.1:${target.port}/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`http://127.0.0.1:${target.port}/elsewhere`);
    expect(target.requests.slice(before).map((r) => r.url)).toEqual(['/redirect']);
  });

  it('keeps TLS SNI the original name while connecting to the pinned address; times out the handshake', async () => {
    // A TLS listener that records the SNI name and never completes the handshake.
    const names: string[] = [];
    const server = tls.createServer({ SNICallback: (name) => void names.push(name) });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const dns = fakeResolver(() => ['127.0.0.1']);
      const fetch = createOutboundFetch(
        { ...LOOPBACK_ALLOWED, connectTimeoutMs: 300 },
        { resolve: dns.resolve },
      );
      const problem = await problemOf(fetch(`https://made-up.example:${port}/`));
      expect(problem.code).toBe('ERP_HTTP_TIMEOUT');
      expect(problem.message).toMatch(/did not accept a connection/);
      expect(names).toEqual(['made-up.example']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('outbound fetch limits', () => {
  const LIMIT = 256 * 1024;

  it('aborts a streamed body past the limit and closes the connection', async () => {
    let written = 0;
    let serverSawClose!: () => void;
    const closed = new Promise<boolean>((resolve) => {
      serverSawClose = () => resolve(true);
    });
    let finished = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const server = await startServer((_req, res) => {
      res.on('close', serverSawClose);
      res.on('finish', () => {
        finished = true;
      });
      res.writeHead(200, { 'content-type': 'text/plain' }); // chunked: no length announced
      // Keep writing until the client hangs up; an unbounded client would buffer forever.
      const pump = () => {
        while (!res.destroyed && written < 1024 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    try {
      const fetch = createOutboundFetch({ ...LOOPBACK_ALLOWED, maxBodyBytes: LIMIT });
      const problem = await problemOf(fetch(`http://127.0.0.1:${server.port}/big`));
      expect(problem.code).toBe('ERP_HTTP_TOO_LARGE');
      expect(problem.status).toBe(502);
      expect(problem.message).toContain(`${LIMIT} bytes`);
      expect(await closed).toBe(true);
      expect(finished).toBe(false);
      expect(written).toBeLessThan(1024 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });

  it('refuses a body whose announced length is past the limit without reading it', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(LIMIT + 1) });
      res.write('x');
    });
    try {
      const fetch = createOutboundFetch({ ...LOOPBACK_ALLOWED, maxBodyBytes: LIMIT });
      expect((await problemOf(fetch(`http://127.0.0.1:${server.port}/`))).code).toBe('ERP_HTTP_TOO_LARGE');
    } finally {
      await server.close();
    }
  });

  it('accepts a HEAD answer that announces a length past the limit', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(LIMIT * 4) }).end();
    });
    try {
      const fetch = createOutboundFetch({ ...LOOPBACK_ALLOWED, maxBodyBytes: LIMIT });
      const res = await fetch(`http://127.0.0.1:${server.port}/`, { method: 'HEAD' });
      expect([res.status, res.headers['content-length'], res.body]).toEqual([200, String(LIMIT * 4), '']);
    } finally {
      await server.close();
    }
  });

  it('accepts a body of exactly the limit', async () => {
    const server = await startServer((_req, res) => res.end(Buffer.alloc(LIMIT, 'y')));
    try {
      const fetch = createOutboundFetch({ ...LOOPBACK_ALLOWED, maxBodyBytes: LIMIT });
      const res = await fetch(`http://127.0.0.1:${server.port}/`);
      expect(res.body.length).toBe(LIMIT);
    } finally {
      await server.close();
    }
  });

  it('times out a server that never answers, and one that stalls mid-body', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/stall') res.writeHead(200).write('partial');
      // '/silent' never answers at all.
    });
    try {
      const fetch = createOutboundFetch({ ...LOOPBACK_ALLOWED, totalTimeoutMs: 300 });
      for (const path of ['/silent', '/stall']) {
        const problem = await problemOf(fetch(`http://127.0.0.1:${server.port}${path}`));
        expect(problem.code, path).toBe('ERP_HTTP_TIMEOUT');
        expect(problem.status, path).toBe(504);
      }
      expect(server.requests.map((r) => r.url)).toEqual(['/silent', '/stall']);
    } finally {
      await server.close();
    }
  });

  it('times out a resolver that never answers', async () => {
    const fetch = createOutboundFetch({ totalTimeoutMs: 200 }, { resolve: () => new Promise(() => {}) });
    expect((await problemOf(fetch('http://hanging.example/'))).code).toBe('ERP_HTTP_TIMEOUT');
  });

  it('reports a name that does not resolve as unreachable', async () => {
    const dns = fakeResolver(() => []);
    const fetch = createOutboundFetch({}, { resolve: dns.resolve });
    expect((await problemOf(fetch('http://nowhere.example/'))).code).toBe('ERP_HTTP_UNREACHABLE');
  });
});

function problem500Detail(problem: Problem): string {
  expect(problem.status).toBe(500);
  return problem.options.detail ?? '';
}
