// The sandbox escape suite (issue 11): a third-party plugin's handler runs attacker-supplied code
// inside its isolate, and every attempt to leave — to Node (process, require, import()), to the
// host's Function through constructor chains and handed-in objects, to other tenants' rows
// through facade arguments, to other schemas and kernel tables through SQL (issue 9's whole
// corpus), to undeclared hosts — or to take the host down (loops, floods, memory, recursion,
// regular expressions, huge results) is contained to that one request. While each attack runs
// and after it, another tenant's requests keep being answered: counted, not timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';
import { CORPUS, REFUSALS } from './support/sql-corpus.js';

// /attack runs the code it is given as the body of an async function (ctx and input in scope);
// /sql runs the SQL it is given; /whoami reports the unit of work's tenant and role; /ping is
// what the other tenant calls throughout.
const INTRUDER = `
import { definePlugin, route, schema } from '@erp/sdk';
const code = { type: 'object', additionalProperties: false, required: ['code'],
               properties: { code: { type: 'string' }, other: { type: 'string' } } } as const;
const sql = { type: 'object', additionalProperties: false, required: ['sql'],
              properties: { sql: { type: 'string' }, params: { type: 'array' } } } as const;
export default definePlugin({
  events: {
    'item.created': schema({ type: 'object', additionalProperties: false, required: ['id', 'name'],
                             properties: { id: { type: 'string' }, name: { type: 'string' } } } as const),
  },
  routes: {
    'POST /attack': route({
      permission: 'intruder.items.write',
      body: code,
      async handler(ctx, { body }) {
        const run = new Function('ctx', 'input', 'return (async () => {' + body.code + '})()');
        return { result: (await run(ctx, body)) ?? null };
      },
    }),
    'POST /sql': route({
      permission: 'intruder.items.write',
      body: sql,
      async handler(ctx, { body }) {
        return { rows: await ctx.db.query(body.sql, (body.params ?? []) as never) };
      },
    }),
    'POST /regex': route({
      permission: 'intruder.items.write',
      body: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } } as const,
      async handler() {
        return { matched: true };
      },
    }),
    'GET /whoami': route({
      permission: 'intruder.items.read',
      async handler(ctx) {
        return ctx.db.one("select erp.current_tenant()::text as tenant, current_user::text as role");
      },
    }),
    'GET /ping': route({
      permission: 'intruder.items.read',
      async handler(ctx) {
        return { tenant: ctx.tenant.id, items: (await ctx.db.query('select name from items')).length };
      },
    }),
  },
});
`;

const HIDDEN = `create table hidden (tenant_id uuid not null default erp.current_tenant(), note text);
select erp.tenant_table('hidden');
revoke select, insert, update, delete on hidden from erp_p_intruder;
`;

// (module (func (export "f") (loop (br 0)))): a loop in WebAssembly.
const WASM_LOOP = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 9, 1, 7, 0, 3, 64,
  12, 0, 11, 11,
];

const folder = pluginFolder();
writePluginVersion(folder.root, {
  id: 'intruder',
  version: '1.0.0',
  trust: 'third-party',
  files: { 'src/index.ts': INTRUDER, 'migrations/0002_hidden.sql': HIDDEN },
});
writePluginVersion(folder.root, { id: 'other', version: '1.0.0', trust: 'third-party' });

type Expect =
  | { result: unknown } // answered 200 with this result: the attempt found nothing
  | { status: number; code: string }; // refused or ended with this problem

/** [name, code run inside the isolate, what the attacker gets]. `input.other` is tenant B's id. */
const ATTACKS: Array<[string, string, Expect]> = [
  ['process', 'return typeof process', { result: 'undefined' }],
  ['process.exit', 'process.exit(1)', { status: 500, code: 'ERP_PLUGIN_FAILED' }],
  ['require', "return typeof require === 'undefined' && typeof module === 'undefined'", { result: true }],
  [
    'require(fs)',
    "return require('fs').readFileSync('/etc/passwd', 'utf8')",
    { status: 500, code: 'ERP_PLUGIN_FAILED' },
  ],
  [
    'import()',
    "const fs = await import('node:fs'); return fs.readFileSync('/etc/passwd', 'utf8')",
    { status: 500, code: 'ERP_PLUGIN_FAILED' },
  ],
  [
    'Function through a constructor chain',
    "return ({}).constructor.constructor('return typeof process + typeof require + typeof Buffer')()",
    { result: 'undefinedundefinedundefined' },
  ],
  [
    'Function through a capability',
    "return ctx.db.query.constructor('return typeof process')() + ctx.log.info.constructor.constructor('return typeof globalThis.__erpHostCall')()",
    { result: 'undefinedundefined' },
  ],
  [
    'prototypes of handed-in objects',
    "input.__proto__.constructor.prototype.polluted = 'yes'; Object.getPrototypeOf(ctx).polluted2 = 'yes'; " +
      "return [({}).polluted, Object.getPrototypeOf(input) === Object.prototype, input.constructor.constructor('return typeof process')()]",
    { result: ['yes', true, 'undefined'] },
  ],
  [
    'the bridge',
    'return [typeof __erpHostCall, typeof __erpHostLog, typeof __erpInvoke, typeof __erpDeliver, typeof __erpSeal, typeof __erpPlugin]',
    { result: Array(6).fill('undefined') },
  ],
  [
    'timers',
    'return [typeof setTimeout, typeof setInterval, typeof setImmediate, typeof queueMicrotask]',
    { result: Array(4).fill('undefined') },
  ],
  [
    'timer flood',
    'for (let i = 0; i < 1e5; i++) setTimeout(() => {}, 0)',
    { status: 500, code: 'ERP_PLUGIN_FAILED' },
  ],
  ['infinite loop', 'for (;;) {}', { status: 503, code: 'ERP_PLUGIN_CPU_LIMIT' }],
  [
    'loop after a host answer',
    "await ctx.db.query('select 1'); for (;;) {}",
    { status: 503, code: 'ERP_PLUGIN_CPU_LIMIT' },
  ],
  [
    'loop in WebAssembly',
    `const m = new WebAssembly.Module(new Uint8Array(${JSON.stringify(WASM_LOOP)})); new WebAssembly.Instance(m).exports.f()`,
    { status: 503, code: 'ERP_PLUGIN_CPU_LIMIT' },
  ],
  [
    'Atomics.wait',
    'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)',
    { status: 503, code: 'ERP_PLUGIN_CPU_LIMIT' },
  ],
  [
    'catastrophic regular expression',
    "return /^(a+)+$/.test('a'.repeat(40) + '!')",
    { status: 503, code: 'ERP_PLUGIN_CPU_LIMIT' },
  ],
  [
    'memory bomb',
    'const a = []; for (;;) a.push(new Array(1e6).fill(1))',
    { status: 503, code: 'ERP_PLUGIN_MEMORY_LIMIT' },
  ],
  [
    'deep recursion',
    'const f = (n) => f(n + 1) + 1; return f(0)',
    { status: 500, code: 'ERP_PLUGIN_FAILED' },
  ],
  ['huge result', "return 'x'.repeat(2 * 1024 * 1024)", { status: 500, code: 'ERP_PLUGIN_RESULT_INVALID' }],
  ['a result that is not JSON', 'return { n: 1n }', { status: 500, code: 'ERP_PLUGIN_FAILED' }],
  ['never answers', 'await new Promise(() => {})', { status: 503, code: 'ERP_PLUGIN_TIMEOUT' }],
  [
    'capability-call flood',
    "await Promise.all(Array.from({ length: 2000 }, () => ctx.db.query('select 1')))",
    { status: 503, code: 'ERP_PLUGIN_TOO_MANY_CALLS' },
  ],
  [
    "another tenant's rows through facade arguments",
    "ctx.tenant.id = input.other; const rows = await ctx.db.query('select * from items where tenant_id = $1', [input.other]); " +
      "const who = await ctx.db.one('select erp.current_tenant()::text as t'); return [rows.length, who.t === input.other]",
    { result: [0, false] },
  ],
  [
    "another tenant's events through facade arguments",
    "await ctx.events.publish('item.created', { id: 'x', name: 'x', tenantId: input.other }, input.other)",
    { status: 500, code: 'ERP_EVENT_INVALID' },
  ],
  [
    "another tenant's events through an extra argument",
    "ctx.tenant.id = input.other; await ctx.events.publish('item.created', { id: 'e1', name: 'extra' }, { tenantId: input.other }); return 'sent'",
    { result: 'sent' },
  ],
  [
    'undeclared event',
    "await ctx.events.publish('secrets.leaked', {})",
    { status: 500, code: 'ERP_EVENT_UNDECLARED' },
  ],
  ['undeclared job', "await ctx.jobs.enqueue('mine-coins', {})", { status: 500, code: 'ERP_JOB_UNDECLARED' }],
  [
    'undeclared host',
    "return await ctx.http.fetch('https://example.com/')",
    { status: 500, code: 'ERP_HTTP_HOST_UNDECLARED' },
  ],
  [
    'undeclared host (metadata)',
    "return await ctx.http.fetch('http://169.254.169.254/latest/meta-data/')",
    { status: 500, code: 'ERP_HTTP_HOST_UNDECLARED' },
  ],
];

describe('the sandbox escape suite', () => {
  let k: TestKernel;
  let a: TestTenant;
  let b: TestTenant;
  const call = (t: TestTenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    k.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload ? { payload } : {}) });
  // Every contained attack is an unexpected failure the breaker counts (20 within a minute
  // quarantine the plugin for the attacking tenant, tested last); each attempt starts from a closed one.
  const closeBreaker = () =>
    (k.container.cradle.pluginBreaker as unknown as { states: Map<string, unknown> }).states.clear();

  /**
   * Runs `attack` as tenant A while tenant B keeps calling the same plugin (its own isolate) and a
   * kernel route; returns A's response and how many of B's calls succeeded during and after it.
   */
  const contained = async <R>(attack: () => Promise<R>) => {
    let done = false;
    let during = 0;
    const failed: string[] = [];
    closeBreaker();
    const res = attack().finally(() => {
      done = true;
    });
    do {
      const [ping, kernel] = await Promise.all([
        call(b, 'GET', '/api/v1/p/intruder/ping'),
        call(b, 'GET', '/api/v1/plugins/usage'),
      ]);
      if (ping.statusCode === 200 && ping.json().tenant === b.tenantId && kernel.statusCode === 200) during++;
      else failed.push(`${ping.statusCode} ${ping.body} / ${kernel.statusCode} ${kernel.body}`);
    } while (!done);
    let after = 0;
    for (let i = 0; i < 3; i++)
      if ((await call(b, 'GET', '/api/v1/p/intruder/ping')).statusCode === 200) after++;
    return { res: await res, during, failed, after };
  };

  beforeAll(async () => {
    k = await startTestKernel({
      ERP_PLUGIN_PATH: folder.root,
      ERP_BACKGROUND: 'false',
      // Tenant B calls as fast as it is answered: the kernel's own rate limits are not under test.
      ERP_RATE_LIMIT_USER: '10000000',
      ERP_RATE_LIMIT_TENANT: '10000000',
      ERP_SANDBOX_CPU_MS_ROUTE: '1000',
      ERP_SANDBOX_MEMORY_MB: '32',
      ERP_SANDBOX_WALL_MS: '3000',
      ERP_SANDBOX_MAX_RESULT_BYTES: String(1024 * 1024),
    });
    a = await createTenant(k);
    b = await createTenant(k);
    for (const t of [a, b]) {
      for (const plugin of ['intruder', 'other']) {
        const res = await call(t, 'POST', '/api/v1/plugins/installations', { plugin });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    expect((await call(b, 'POST', '/api/v1/p/other/items', { name: 'B secret' })).statusCode).toBe(201);
    const own = await call(b, 'POST', '/api/v1/p/intruder/sql', {
      sql: 'insert into items (tenant_id, name) values (erp.current_tenant(), $1)',
      params: ['B item'],
    });
    expect(own.statusCode, own.body).toBe(200);
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('runs the third-party plugin in the sandbox', async () => {
    const res = await call(a, 'GET', '/api/v1/p/intruder/ping');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ tenant: a.tenantId, items: 0 });
    const usage = (await call(a, 'GET', '/api/v1/plugins/usage')).json().usage;
    expect(usage.find((u: { plugin: string }) => u.plugin === 'intruder').runtime).toBe('sandbox');
  });

  for (const [name, code, expected] of ATTACKS) {
    it(`contains: ${name}`, async () => {
      const { res, during, failed, after } = await contained(() =>
        call(a, 'POST', '/api/v1/p/intruder/attack', { code, other: b.tenantId }),
      );
      if ('result' in expected) {
        expect(res.statusCode, res.body).toBe(200);
        expect(JSON.parse(res.body).result).toEqual(expected.result);
      } else {
        expect(res.statusCode, res.body).toBe(expected.status);
        const problem = JSON.parse(res.body);
        expect(problem.code, res.body).toBe(expected.code);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body).not.toMatch(/\bat .*:\d+:\d+/); // no stack
      }
      expect(failed).toEqual([]);
      expect(during).toBeGreaterThanOrEqual(1);
      expect(after).toBe(3);
      // The attacker's own tenant is served again right after (a fresh isolate where one was disposed).
      expect((await call(a, 'GET', '/api/v1/p/intruder/ping')).statusCode).toBe(200);
      // Nothing leaked into the host.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it("validates a sandboxed plugin's catastrophic pattern in linear time in the host", async () => {
    // ajv runs in the host, before any plugin code: with a backtracking engine this input would
    // hold the event loop for minutes; RE2 semantics answer at once.
    const { res, failed, after } = await contained(() =>
      call(a, 'POST', '/api/v1/p/intruder/regex', { s: `${'a'.repeat(5000)}!` }),
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0].field).toBe('/body/s');
    expect(failed).toEqual([]);
    expect(after).toBe(3);
    expect((await call(a, 'POST', '/api/v1/p/intruder/regex', { s: 'aaa' })).json()).toEqual({
      matched: true,
    });
  });

  it("keeps answering the other tenant throughout attacks that hold the isolate's CPU", async () => {
    // While a CPU-bound attack runs, B's calls complete many times over: the host thread is free.
    const { res, during } = await contained(() =>
      call(a, 'POST', '/api/v1/p/intruder/attack', { code: 'for (;;) {}', other: b.tenantId }),
    );
    expect(res.statusCode).toBe(503);
    expect(during).toBeGreaterThanOrEqual(3);
  });

  it(`refuses every one of ${CORPUS.length} bypass-corpus attempts sent from inside the sandbox`, async () => {
    const accepted: string[] = [];
    for (const [text, why] of CORPUS) {
      closeBreaker();
      const res = await call(a, 'POST', '/api/v1/p/intruder/sql', {
        sql: text,
        params: text.includes('$1') ? [b.tenantId] : [],
      });
      const code = res.json().code as string | undefined;
      if (![403, 500].includes(res.statusCode) || !REFUSALS.has(code ?? '')) {
        accepted.push(`${why}: ${text} -> ${res.statusCode} ${res.body}`);
        continue;
      }
      if (code !== 'ERP_TENANT_FORBIDDEN') expect(res.json().detail, text).toContain('Plugin intruder');
    }
    expect(accepted).toEqual([]);
    const who = await call(a, 'GET', '/api/v1/p/intruder/whoami');
    expect(who.json()).toEqual({ tenant: a.tenantId, role: 'erp_p_intruder' });
    const { rows } = await k.superuser.query(
      `select (select count(*) from p_intruder.items)::int as items, (select count(*) from p_other.items)::int as other,
              (select count(*) from p_intruder.hidden)::int as hidden`,
    );
    expect(rows[0]).toEqual({ items: 1, other: 1, hidden: 0 });
    // The event published with another tenant's id in its arguments went to the attacker's own tenant.
    const events = await k.superuser.query(
      `select tenant_id::text as tenant from erp.event_outbox where payload->>'id' = 'e1'`,
    );
    expect(events.rows).toEqual([{ tenant: a.tenantId }]);
  });

  it('quarantines a misbehaving sandboxed plugin for the attacking tenant only', async () => {
    closeBreaker();
    for (let i = 0; i < 20; i++)
      await call(a, 'POST', '/api/v1/p/intruder/attack', { code: "throw new Error('x')" });
    const mine = await call(a, 'GET', '/api/v1/p/intruder/ping');
    expect(mine.statusCode).toBe(503);
    expect(mine.json().code).toBe('ERP_PLUGIN_QUARANTINED');
    const theirs = await call(b, 'GET', '/api/v1/p/intruder/ping');
    expect(theirs.statusCode).toBe(200);
  });
});
