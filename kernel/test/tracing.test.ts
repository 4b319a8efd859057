// OpenTelemetry traces as a collector receives them: the kernel exports over OTLP/HTTP (JSON) to a
// receiver started here, configured only by the standard OTEL_* variables. A plugin write carrying
// a caller's traceparent gives one trace: the server span (route template, plugin, hashed tenant),
// the plugin call, its SQL, and, through the outbox row and the bus, the subscriber's consumer
// span and its own plugin call and SQL. No SQL parameter, inlined tenant id, password or token
// reaches the receiver. Tracing is off without those variables.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingWanted } from '../src/tracing/provider.js';
import { dropNamespace, FAST_BUS, NATS_URL, natsNamespace, waitFor } from './support/bus-env.js';
import {
  ADMIN_PASSWORD,
  createTenant,
  startTestKernel,
  type TestKernel,
  type TestTenant,
} from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: OtlpValue }>;
}
interface Received {
  name: string;
  traceId: string;
  spanId: string;
  parent: string;
  kind: number;
  attrs: Record<string, string>;
  service: string;
}

/** An OTLP/HTTP trace receiver (ExportTraceServiceRequest, JSON encoding of the OTLP spec). */
class Receiver {
  readonly spans: Received[] = [];
  readonly bodies: string[] = [];
  readonly contentTypes = new Set<string>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.contentTypes.add(String(req.headers['content-type']));
        if (req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        this.bodies.push(body);
        this.decode(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private decode(request: {
    resourceSpans?: Array<{
      resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
      scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
    }>;
  }): void {
    for (const rs of request.resourceSpans ?? []) {
      const service = attrs(rs.resource?.attributes)['service.name'] ?? '';
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? [])
          this.spans.push({
            name: s.name,
            traceId: s.traceId,
            spanId: s.spanId,
            parent: s.parentSpanId ?? '',
            kind: s.kind,
            attrs: attrs(s.attributes),
            service,
          });
    }
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

function attrs(list: Array<{ key: string; value: OtlpValue }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of list ?? [])
    out[key] = String(value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue ?? '');
  return out;
}

// OTLP span kinds (opentelemetry.proto.trace.v1.Span.SpanKind).
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  const receiver = new Receiver();
  const folder = pluginFolder();
  // The scaffold's write also enqueues its job, so the trace reaches a job run too.
  writePluginVersion(folder.root, {
    id: 'traced',
    version: '1.0.0',
    code: (src) =>
      src.replace(
        "await ctx.events.publish('item.created', { itemId: item!.id, name: item!.name });",
        "await ctx.events.publish('item.created', { itemId: item!.id, name: item!.name });\n        await ctx.jobs.enqueue('nightly-count', {});",
      ),
  });
  writePluginVersion(folder.root, { id: 'boxed', version: '1.0.0', trust: 'third-party' });
  // A plugin that calls out (ctx.http.fetch) to the URL it is given.
  writePluginVersion(folder.root, {
    id: 'caller',
    version: '1.0.0',
    pkg: (pkg) => {
      (pkg.erp as { capabilities: string[] }).capabilities.push('http:*');
    },
    code: (src) =>
      src.replace(
        '  routes: {\n',
        `  routes: {
    'POST /call-out': route({
      permission: 'caller.items.write',
      body: NewItem,
      response: { type: 'object', required: ['status'], properties: { status: { type: 'integer' } } },
      async handler(ctx, { body }) {
        const res = await ctx.http.fetch(body.name, { method: 'POST', body: '{}' });
        return { status: res.status };
      },
    }),
`,
      ),
  });
  const namespace = natsNamespace();
  let k: TestKernel;
  let t: TestTenant;
  let hookServer: Server | undefined;

  beforeAll(async () => {
    await receiver.start();
    // Only standard variables: the SDK reads them (the kernel reads whether an endpoint is set).
    Object.assign(process.env, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'erp-kernel-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    k = await startTestKernel({
      ...FAST_BUS,
      ...(NATS_URL ? { NATS_URL, ERP_NATS_NAMESPACE: namespace } : {}),
      ERP_PLUGIN_PATH: folder.root,
    });
    t = await createTenant(k);
    for (const plugin of ['traced', 'boxed', 'caller']) {
      const res = await k.app.inject({
        method: 'POST',
        url: '/api/v1/plugins/installations',
        headers: { authorization: t.auth },
        payload: { plugin },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await k?.close();
    await receiver.stop();
    await new Promise((r) => hookServer?.close(r));
    if (NATS_URL) await dropNamespace(NATS_URL, namespace);
    folder.cleanup();
  });

  it('is off unless an OTLP endpoint or exporter is configured', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(true);
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    );
    expect(
      tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBe(false);
  });

  it('follows a plugin write from the caller through SQL, the outbox and the bus to the subscriber', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const name = `widget-${randomBytes(6).toString('hex')}`;
    const res = await k.app.inject({
      method: 'POST',
      url: '/api/v1/p/traced/items',
      headers: { authorization: t.auth, traceparent: `00-${traceId}-${callerSpan}-01` },
      payload: { name },
    });
    expect(res.statusCode, res.body).toBe(201);

    const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    // The subscriber's SQL is the last thing the trace gets.
    const consumer = await waitFor(async () => {
      const c = inTrace().find((s) => s.kind === CONSUMER && s.name === 'process traced.item.created');
      return c && inTrace().some((s) => s.parent === c.spanId) ? c : undefined;
    }, 'the subscriber span and its children');
    const spans = inTrace();
    const childrenOf = (id: string) => spans.filter((s) => s.parent === id);

    const server = spans.find((s) => s.kind === SERVER)!;
    expect(server).toBeDefined();
    expect(server.service).toBe('erp-kernel-under-test');
    expect(server.parent).toBe(callerSpan);
    expect(server.name).toBe('POST /api/v1/p/:plugin/*');
    expect(server.attrs['http.route']).toBe('/api/v1/p/:plugin/*');
    expect(server.attrs['http.response.status_code']).toBe('201');
    expect(server.attrs['erp.plugin']).toBe('traced');
    expect(server.attrs['erp.tenant']).toMatch(/^[0-9a-f]{16}$/);

    const call = childrenOf(server.spanId).find((s) => s.name.startsWith('plugin traced route'))!;
    expect(call, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(call.attrs).toMatchObject({ 'erp.plugin': 'traced', 'erp.plugin.runtime': 'in-process' });
    const callSql = childrenOf(call.spanId).map((s) => s.attrs['db.query.text'] ?? '');
    expect(callSql.some((q) => /insert into items/i.test(q))).toBe(true);
    expect(callSql.some((q) => /insert into erp\.event_outbox/i.test(q))).toBe(true);
    // The unit of work's BEGIN (tenant set inline) is a child of the server span, normalised.
    const uow = spans.filter((s) => /set_config/.test(s.attrs['db.query.text'] ?? ''));
    expect(uow.length).toBeGreaterThan(0);
    for (const s of uow) expect(s.attrs['db.query.text']).toMatch(/set_config\(\$\d+, \$\d+, \$\d+\)/);

    // The consumer's parent is the span that wrote the outbox row (the plugin call), across the bus.
    expect(consumer.parent).toBe(call.spanId);
    expect(consumer.attrs['messaging.destination.name']).toBe('traced.item.created');
    const handler = childrenOf(consumer.spanId).find((s) => s.name.startsWith('plugin traced subscription'))!;
    expect(handler).toBeDefined();
    const handlerSql = childrenOf(handler.spanId).map((s) => s.attrs['db.query.text'] ?? '');
    expect(handlerSql.some((q) => /item_stats/.test(q))).toBe(true);
    // The job the write enqueued runs under a span whose parent is the same plugin call.
    const job = await waitFor(
      async () => receiver.spans.find((s) => s.traceId === traceId && s.name === 'job traced.nightly-count'),
      'the job span',
    );
    expect(job.parent).toBe(call.spanId);
    await waitFor(
      async () =>
        receiver.spans.some((s) => s.parent === job.spanId && s.name.startsWith('plugin traced job')),
      'the job\u2019s plugin call under its span',
    );
    // Every span of the trace hangs from the caller's span. Checked once the exporter has sent them
    // all: a span ends (and is exported) before its parent, so a snapshot can hold a child whose
    // parent is still running (the job's SQL before the job span).
    const orphans = () => {
      const now = receiver.spans.filter((s) => s.traceId === traceId);
      const ids = new Map(now.map((s) => [s.spanId, s]));
      return now.filter((s) => {
        let at: Received | undefined = s;
        for (let hops = 0; at && at.parent !== callerSpan && hops < 20; hops++) at = ids.get(at.parent);
        return at?.parent !== callerSpan;
      });
    };
    await waitFor(async () => orphans().length === 0, 'every span of the trace under the caller').catch(() =>
      expect(orphans().map((s) => s.name)).toEqual([]),
    );

    // Nothing the receiver got names a value: not the item, the tenant, a password or a token.
    const everything = receiver.bodies.join('\n');
    expect(everything).not.toContain(name);
    expect(everything).not.toContain(t.tenantId);
    expect(everything).not.toContain(ADMIN_PASSWORD);
    expect(everything).not.toContain(t.auth.slice('Bearer '.length));
    expect(everything).not.toContain(t.refreshToken);
    expect([...receiver.contentTypes]).toEqual(['application/json']);
  });

  it('follows a call into the sandbox and the SQL the sandboxed plugin sends', async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await k.app.inject({
      method: 'GET',
      url: '/api/v1/p/boxed/items',
      headers: { authorization: t.auth, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const call = await waitFor(
      async () =>
        receiver.spans.find((s) => s.traceId === traceId && s.name.startsWith('plugin boxed route')),
      'the sandboxed plugin call span',
    );
    expect(call.attrs['erp.plugin.runtime']).toBe('sandbox');
    const sql = await waitFor(async () => {
      const found = receiver.spans
        .filter((s) => s.parent === call.spanId)
        .map((s) => s.attrs['db.query.text']);
      return found.some((q) => /from items/.test(q ?? '')) ? found : undefined;
    }, 'the sandboxed plugin\u2019s SQL under its call');
    expect(sql.length).toBeGreaterThanOrEqual(2);
  });

  it('follows a plugin\u2019s outbound call as a client span, and carries the trace to the receiver', async () => {
    // A receiver whose URL holds a secret in its path, as chat webhooks do.
    const got: Array<{ traceparent?: string }> = [];
    hookServer = createServer((req, res) => {
      got.push({ traceparent: req.headers.traceparent as string | undefined });
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => hookServer!.listen(0, '127.0.0.1', r));
    const port = (hookServer.address() as AddressInfo).port;
    const policy = await k.app.inject({
      method: 'PUT',
      url: '/api/v1/tenant/outbound-policy',
      headers: { authorization: t.auth },
      payload: { allowPrivate: ['127.0.0.0/8'] },
    });
    expect(policy.statusCode, policy.body).toBe(200);
    const secret = `hook-secret-${randomBytes(6).toString('hex')}`;
    const traceId = randomBytes(16).toString('hex');
    const res = await k.app.inject({
      method: 'POST',
      url: '/api/v1/p/caller/call-out',
      headers: { authorization: t.auth, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      payload: { name: `http://127.0.0.1:${port}/services/${secret}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: 204 });
    const client = await waitFor(
      async () =>
        receiver.spans.find(
          (s) => s.traceId === traceId && s.kind === CLIENT && s.attrs['erp.plugin'] === 'caller',
        ),
      'the outbound client span',
    );
    const call = receiver.spans.find((s) => s.spanId === client.parent)!;
    expect(call.name).toMatch(/^plugin caller route/);
    expect(client.name).toBe('POST');
    expect(client.attrs).toMatchObject({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': String(port),
      'http.response.status_code': '204',
      'erp.plugin': 'caller',
    });
    // The receiver got the trace: its traceparent names this trace and the client span.
    expect(got).toHaveLength(1);
    expect(got[0]!.traceparent).toBe(`00-${traceId}-${client.spanId}-01`);
    // The path (and its secret) is in no span.
    expect(receiver.bodies.join('\n')).not.toContain(secret);
  });
});
