// The pool on its own (no kernel): calls, host callbacks, limits and disposal.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostCalls, SandboxLimitError, SandboxPool, SandboxThrown } from '../src/index.js';

const dir = fileURLToPath(new URL('./fixtures/echo', import.meta.url));
const context = { user: { id: null, kind: 'system' }, tenant: { id: 't1' }, config: {} };
const calls: { op: string; args: unknown[] }[] = [];
const host: HostCalls = {
  async call(op, args) {
    calls.push({ op, args });
    if (op === 'db.query') return [{ one: 1 }];
    throw Object.assign(new Error('refused'), { code: 'X_REFUSED', status: 500 });
  },
  log() {},
};
const attack = (code: string, tenant = 't1') =>
  pool.invoke(
    'echo@1',
    tenant,
    { kind: 'route', entry: 'POST /attack', input: { body: { code } }, context },
    host,
  );

let pool: SandboxPool;
beforeAll(async () => {
  pool = new SandboxPool({
    memoryMb: 16,
    cpuMs: { route: 1000, subscription: 1000, job: 1000, hook: 1000 },
    wallMs: 3000,
  });
  const shape = await pool.load('echo@1', dir, 'index.js');
  expect(Object.keys(shape.routes)).toContain('POST /echo');
});
afterAll(() => pool.close());

describe('SandboxPool', () => {
  it('calls a handler with copied input and returns copied output', async () => {
    const r = await pool.invoke(
      'echo@1',
      't1',
      { kind: 'route', entry: 'POST /echo', input: { body: { a: [1, 2] } }, context },
      host,
    );
    expect(r.value).toEqual({ body: { a: [1, 2] }, tenant: 't1' });
  });

  it('serves capability calls from the host', async () => {
    const r = await pool.invoke(
      'echo@1',
      't1',
      { kind: 'route', entry: 'GET /query', input: {}, context },
      host,
    );
    expect(r.value).toEqual({ rows: [{ one: 1 }] });
    expect(calls.at(-1)).toEqual({ op: 'db.query', args: ['select 1 as one', []] });
  });

  it('gives back a host error that escapes the handler as the host raised it', async () => {
    const err = await attack(`return ctx.events.publish('x', 1)`).catch((e) => e);
    expect(err.code).toBe('X_REFUSED');
  });

  it('reports a PluginProblem as data', async () => {
    const err = await pool
      .invoke('echo@1', 't1', { kind: 'route', entry: 'GET /refuse', input: {}, context }, host)
      .catch((e) => e);
    expect(err).toBeInstanceOf(SandboxThrown);
    expect(err.thrown).toMatchObject({ name: 'PluginProblem', status: 409, code: 'ECHO_CONFLICT' });
  });

  it('disposes an isolate that loops and recreates it on the next call', async () => {
    const err = await attack('for (;;) {}').catch((e) => e);
    expect(err).toBeInstanceOf(SandboxLimitError);
    expect(err.reason).toBe('cpu');
    const r = await pool.invoke(
      'echo@1',
      't1',
      { kind: 'route', entry: 'POST /echo', input: { body: 1 }, context },
      host,
    );
    expect(r.value).toEqual({ body: 1, tenant: 't1' });
  });

  it('disposes an isolate that runs out of memory; the host lives', async () => {
    const err = await attack('const a = []; for (;;) a.push(new Array(1e6).fill(1));').catch((e) => e);
    expect(err).toBeInstanceOf(SandboxLimitError);
    expect(err.reason).toBe('memory');
    const r = await pool.invoke(
      'echo@1',
      't1',
      { kind: 'route', entry: 'POST /echo', input: { body: 2 }, context },
      host,
    );
    expect(r.value).toEqual({ body: 2, tenant: 't1' });
    // The loop's isolate and the one that ran out of memory were disposed for a limit.
    expect(pool.stats().recycled).toBe(2);
  });

  it('stops a loop that starts after a host answer, and a microtask flood', async () => {
    const loop = await attack(`return ctx.db.query('select 1').then(() => { for (;;) {} })`).catch((e) => e);
    expect(loop.reason).toBe('cpu');
    const flood = await attack(
      'const f = () => Promise.resolve().then(f); f(); return new Promise(() => {});',
    ).catch((e) => e);
    // Queued promises pile up: the CPU or the heap limit ends it, whichever comes first.
    expect(['cpu', 'memory']).toContain(flood.reason);
  });

  it('abandons a call that never finishes', async () => {
    const err = await attack('return new Promise(() => {})').catch((e) => e);
    expect(err.reason).toBe('wall');
  });
});

describe('SandboxPool eviction', () => {
  it('keeps at most isolatesPerVersion isolates, the least recently used one going', async () => {
    const small = new SandboxPool({ isolatesPerVersion: 2 });
    await small.load('echo@1', dir, 'index.js');
    const echo = (tenant: string) =>
      small.invoke(
        'echo@1',
        tenant,
        { kind: 'route', entry: 'POST /echo', input: { body: tenant }, context },
        host,
      );
    for (const t of ['t1', 't2', 't3', 't1'])
      expect((await echo(t)).value).toEqual({ body: t, tenant: 't1' });
    expect(small.stats().isolates).toBe(2);
    small.close();
  });
});
