// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Webhooks end to end: a real kernel with two tenants, warehouses publishing stock events, and a
// real HTTP receiver on loopback that checks signatures with the `standardwebhooks` package (an
// independent implementation of the convention), fails and recovers on command.
import type { TestClient } from '@erp/plugin-testkit';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Receiver, startReceiver } from './support/receiver.js';
import { ok, stockPlace, type World, waitFor, world } from './support/world.js';

let kernel: World;
let rx: Receiver;
let hooks: TestClient;
let api: TestClient;
let place: Awaited<ReturnType<typeof stockPlace>>;

const FAST = {
  allowHttp: true,
  maxAttempts: 4,
  initialDelayMs: 50,
  maxDelayMs: 200,
  orderSettleMs: 300,
  disableAfterFailures: 1000,
};

async function configure(config: object) {
  await ok(api.put('/api/v1/plugins/installations/integrations/config', { config }));
}

async function endpoint(path: string, body: object = {}) {
  return ok(hooks.post('/endpoints', { url: rx.url(path), patterns: ['warehouses.stock.*'], ...body }), 201);
}

async function deliveries(endpointId: string, status?: string): Promise<any[]> {
  const q = status ? `?status=${status}` : '';
  return (await ok(hooks.get(`/endpoints/${endpointId}/deliveries${q}`))).deliveries;
}

const verify = (secret: string, r: { body: string; headers: Record<string, any> }) =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>);

beforeAll(async () => {
  rx = await startReceiver();
  kernel = world(0);
  const t0 = kernel.tenants[0]!;
  hooks = t0.plugin('integrations');
  api = t0.api;
  // The receiver is on loopback: this tenant's outbound policy allows it (the other's does not).
  await ok(api.put('/api/v1/tenant/outbound-policy', { allowPrivate: ['127.0.0.0/8'] }));
  await configure(FAST);
  place = await stockPlace(t0.plugin('warehouses'));
});

afterAll(async () => {
  await rx?.close();
});

describe('signed deliveries', () => {
  it('are verified by an independent Standard Webhooks implementation, and logged', async () => {
    const e = await endpoint('/signed');
    expect(e.secret).toMatch(/^whsec_/);
    await place.receive('5');
    await waitFor(() => rx.got('/signed').length === 1);
    const [req] = rx.got('/signed');
    const payload = verify(e.secret, req!) as any;
    expect(payload.type).toBe('warehouses.stock.received');
    expect(payload.data.qty).toBe('5');
    // Another secret does not verify it.
    const other = await endpoint('/unused');
    expect(() => verify(other.secret, req!)).toThrow();
    // A captured request sent again after the tolerance (5 minutes) is refused by the receiver.
    const later = Date.now() + 6 * 60_000;
    const spy = vi.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(() => verify(e.secret, req!)).toThrow(/too old/i);
    } finally {
      spy.mockRestore();
    }
    await waitFor(async () => (await deliveries(e.id, 'delivered')).length === 1);
    const [d] = await deliveries(e.id);
    expect(req!.headers['webhook-id']).toBe(d.messageId);
    const detail = await ok(hooks.get(`/deliveries/${d.id}`));
    expect(detail.attempts).toHaveLength(1);
    expect(detail.attempts[0]).toMatchObject({ attempt: 1, round: 1, status: 204, error: null });
    expect(detail.attempts[0].latencyMs).toBeGreaterThanOrEqual(0);
    expect(detail.attempts[0].requestHeaders['webhook-signature']).toBe(req!.headers['webhook-signature']);
    await ok(hooks.delete(`/endpoints/${other.id}`), 204);
  });

  it('are signed with both secrets during a rotation overlap, and with the new one after', async () => {
    const e = await endpoint('/rotate');
    const rotated = await ok(hooks.post(`/endpoints/${e.id}/secret/rotate`, { overlapSeconds: 3600 }));
    await place.receive('1');
    await waitFor(() => rx.got('/rotate').length === 1);
    const first = rx.got('/rotate')[0]!;
    expect(String(first.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(e.secret, first)).toBeTruthy();
    expect(verify(rotated.secret, first)).toBeTruthy();

    const third = await ok(hooks.post(`/endpoints/${e.id}/secret/rotate`, { overlapSeconds: 0 }));
    await place.receive('2');
    await waitFor(() => rx.got('/rotate').length === 2);
    const second = rx.got('/rotate')[1]!;
    expect(verify(third.secret, second)).toBeTruthy();
    expect(() => verify(rotated.secret, second)).toThrow();
    expect(() => verify(e.secret, second)).toThrow();
    await ok(hooks.delete(`/endpoints/${e.id}`), 204);
  });
});

describe('retries, dead letters and replay', () => {
  it('retries with backoff until the receiver recovers', async () => {
    let calls = 0;
    rx.answer('/flaky', () => (++calls <= 2 ? 503 : 200));
    const e = await endpoint('/flaky');
    await place.receive('3');
    await waitFor(async () => (await deliveries(e.id, 'delivered')).length === 1);
    const [d] = await deliveries(e.id);
    const detail = await ok(hooks.get(`/deliveries/${d.id}`));
    expect(detail.attempts.map((a: any) => a.status)).toEqual([503, 503, 200]);
    // Every attempt carries the same webhook-id and a valid signature.
    const got = rx.got('/flaky');
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const r of got) verify(e.secret, r);
    await ok(hooks.delete(`/endpoints/${e.id}`), 204);
  });

  it('dead-letters after the last try and replays one delivery or a time range', async () => {
    rx.answer('/down', 500);
    const e = await endpoint('/down');
    const from = new Date(Date.now() - 1000).toISOString();
    await place.receive('4');
    await waitFor(async () => (await deliveries(e.id, 'dead')).length === 1);
    expect(rx.got('/down')).toHaveLength(FAST.maxAttempts);
    const [dead] = await deliveries(e.id, 'dead');
    expect(dead.lastError).toBe('HTTP 500');
    const times = rx.got('/down').map((r) => r.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1);

    // The receiver recovers; replaying the dead letter sends it again (same webhook-id, new signature).
    rx.answer('/down', 204);
    const replayed = await ok(hooks.post(`/deliveries/${dead.id}/replay`), 202);
    expect(replayed).toMatchObject({ status: 'pending', round: 2, attempts: 0 });
    await waitFor(async () => (await deliveries(e.id, 'delivered')).length === 1);
    const last = rx.got('/down').at(-1)!;
    expect(last.headers['webhook-id']).toBe(dead.messageId);
    verify(e.secret, last);

    // Two more dead letters, then the receiver recovers and the range is replayed.
    rx.answer('/down', 500);
    await place.receive('6');
    await place.receive('7');
    await waitFor(async () => (await deliveries(e.id, 'dead')).length === 2);
    rx.answer('/down', 204);
    const to = new Date(Date.now() + 1000).toISOString();
    const range = await ok(hooks.post(`/endpoints/${e.id}/replay`, { from, to }), 202);
    expect(range.replayed).toBe(2);
    await waitFor(async () => (await deliveries(e.id, 'delivered')).length === 3);
    const bad = await hooks.post(`/endpoints/${e.id}/replay`, { from: to, to: from });
    expect([bad.status, (bad.json as any).code]).toEqual([422, 'INTEGRATIONS_RANGE_INVALID']);
    await ok(hooks.delete(`/endpoints/${e.id}`), 204);
  });

  it('does not follow redirects', async () => {
    rx.answer('/moved', 307);
    const e = await endpoint('/moved');
    await place.receive('1');
    await waitFor(async () => (await deliveries(e.id, 'dead')).length === 1);
    expect(rx.got('/elsewhere')).toHaveLength(0);
    await ok(hooks.delete(`/endpoints/${e.id}`), 204);
  });

  it('disables an endpoint that keeps failing and tells the admin', async () => {
    await configure({ ...FAST, maxAttempts: 10, disableAfterFailures: 3 });
    try {
      rx.answer('/broken', 500);
      const e = await endpoint('/broken');
      await place.receive('2');
      await waitFor(async () => !(await ok(hooks.get(`/endpoints/${e.id}`))).enabled);
      const got = rx.got('/broken').length;
      expect(got).toBe(3);
      const events = await ok(api.get('/api/v1/events?type=integrations.endpoint.disabled&limit=10'));
      expect(events.items.map((i: any) => i.payload.endpointId)).toContain(e.id);
      // Nothing is sent while disabled (the new event is held); enabling it again resumes the
      // pending delivery and sends the held one.
      await place.receive('3');
      await waitFor(async () => (await deliveries(e.id, 'held')).length === 1);
      expect(rx.got('/broken')).toHaveLength(got);
      rx.answer('/broken', 204);
      await ok(hooks.patch(`/endpoints/${e.id}`, { enabled: true }));
      await waitFor(async () => (await deliveries(e.id, 'delivered')).length === 2);
      await ok(hooks.delete(`/endpoints/${e.id}`), 204);
    } finally {
      await configure(FAST);
    }
  });
});

describe('a disabled endpoint', () => {
  it('holds its events (bounded, overflow counted), sends them in order when enabled, expires old ones', async () => {
    await configure({ ...FAST, maxHeldDeliveries: 3 });
    try {
      const e = await endpoint('/held', { ordered: true });
      await ok(hooks.patch(`/endpoints/${e.id}`, { enabled: false }));
      for (let i = 1; i <= 5; i++) await place.receive(String(i));
      await waitFor(async () => {
        const now = await ok(hooks.get(`/endpoints/${e.id}`));
        return now.heldCount + now.heldDropped === 5;
      }, 30_000);
      // The bound holds: three held, two dropped (the fan-outs run in concurrent transactions).
      const counted = await ok(hooks.get(`/endpoints/${e.id}`));
      expect([counted.heldCount, counted.heldDropped]).toEqual([3, 2]);
      expect(rx.got('/held')).toHaveLength(0);
      // Replaying a held delivery makes no sense: it is still waiting.
      const [first] = await deliveries(e.id, 'held');
      expect((await hooks.post(`/deliveries/${first.id}/replay`)).status).toBe(409);

      await ok(hooks.patch(`/endpoints/${e.id}`, { enabled: true }));
      await waitFor(async () => (await deliveries(e.id, 'delivered')).length === 3);
      const held = await deliveries(e.id);
      const seqOf = new Map(held.map((d) => [d.messageId, BigInt(d.eventSequence)]));
      const arrival = rx.got('/held').map((r) => seqOf.get(String(r.headers['webhook-id']))!);
      expect(arrival).toEqual([...arrival].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      // The three that fit are the first three events, in order.
      expect(arrival).toHaveLength(3);
      const after = await ok(hooks.get(`/endpoints/${e.id}`));
      expect([after.heldCount, after.heldDropped]).toEqual([0, 0]);
      // The enabling's audit entry says what was released and what had been dropped.
      const audit = JSON.stringify(
        await ok(api.get('/api/v1/audit/entries?action=integrations.endpoint.changed&limit=50')),
      );
      expect(audit).toMatch(/"heldDropped":2,"heldExpired":0,"heldReleased":3/);

      // Past the retention window a held event expires (a dead letter saying why) instead of being sent.
      await configure({ ...FAST, heldRetentionSeconds: 1 });
      await ok(hooks.patch(`/endpoints/${e.id}`, { enabled: false }));
      await place.receive('6');
      await waitFor(async () => (await deliveries(e.id, 'held')).length === 1);
      await new Promise((r) => setTimeout(r, 1_500));
      await ok(hooks.patch(`/endpoints/${e.id}`, { enabled: true }));
      const [expired] = await deliveries(e.id, 'dead');
      expect(expired.lastError).toMatch(/^expired: held longer than 1 s while the endpoint was disabled/);
      await new Promise((r) => setTimeout(r, 500));
      expect(rx.got('/held')).toHaveLength(3);
      await ok(hooks.delete(`/endpoints/${e.id}`), 204);
    } finally {
      await configure(FAST);
    }
  });
});

describe('ordering', () => {
  it('sends an ordered endpoint its events in publication order, a failure holding back the rest', async () => {
    let calls = 0;
    rx.answer('/ordered', () => (++calls === 1 ? 500 : 204));
    const e = await endpoint('/ordered', { ordered: true });
    for (let i = 1; i <= 8; i++) await place.receive(String(i));
    await waitFor(async () => (await deliveries(e.id, 'delivered')).length === 8, 30_000);
    const seqOf = new Map((await deliveries(e.id)).map((d) => [d.messageId, BigInt(d.eventSequence)]));
    const arrival = rx.got('/ordered').map((r) => seqOf.get(String(r.headers['webhook-id']))!);
    expect(arrival).toHaveLength(9);
    // The failed first delivery is retried before anything after it is sent.
    expect(arrival[0]).toBe(arrival[1]);
    const sorted = [...arrival].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(arrival).toEqual(sorted);
    await ok(hooks.delete(`/endpoints/${e.id}`), 204);
  });
});

describe('SSRF and bad input', () => {
  it('refuses private, loopback, link-local and metadata addresses the tenant does not allow', async () => {
    const t1 = kernel.tenants[1]!;
    const other = t1.plugin('integrations');
    const port = new URL(rx.url('/')).port;
    const urls = [
      `https://127.0.0.1:${port}/ssrf`,
      `https://localhost:${port}/ssrf`,
      'https://10.1.2.3/ssrf',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/ssrf',
    ];
    const ids: string[] = [];
    for (const url of urls) {
      const e = await ok(other.post('/endpoints', { url, patterns: ['warehouses.*'] }), 201);
      ids.push(e.id);
    }
    const w = await stockPlace(t1.plugin('warehouses'));
    await w.receive('1');
    for (const id of ids) {
      // The receipt's events (the item's upsert and the stock receipt) each reach the endpoint.
      await waitFor(async () => {
        const res = await ok(other.get(`/endpoints/${id}/deliveries?status=dead`));
        return res.deliveries.length === 2;
      });
      const all = (await ok(other.get(`/endpoints/${id}/deliveries`))).deliveries;
      expect(all.map((d: any) => d.eventType).sort()).toEqual([
        'warehouses.item.upserted',
        'warehouses.stock.received',
      ]);
      for (const d of all) {
        // Refused before any connection, and not retried: another try cannot change the address.
        expect(d.lastError).toMatch(/^ERP_HTTP_ADDRESS_REFUSED/);
        expect(d.attempts).toBe(1);
      }
    }
    expect(rx.got('/ssrf')).toHaveLength(0);
  });

  it('refuses plain http unless the tenant allows it, and bad patterns, naming the field', async () => {
    const other = kernel.tenants[1]!.plugin('integrations');
    const http = await other.post('/endpoints', { url: 'http://example.com/hook', patterns: ['*'] });
    expect([http.status, (http.json as any).code, (http.json as any).errors?.[0]?.field]).toEqual([
      422,
      'INTEGRATIONS_URL_NOT_HTTPS',
      '/body/url',
    ]);
    const pattern = await other.post('/endpoints', { url: 'https://example.com/hook', patterns: ['Stock!'] });
    expect(pattern.status).toBe(400);
    expect(JSON.stringify(pattern.json)).toContain('/body/patterns/0');
  });
});

describe('permissions and tenants', () => {
  it('needs the integrations permissions on every route', async () => {
    const key = await ok(
      api.post('/api/v1/iam/api-keys', { name: 'reader', permissions: ['integrations.webhooks.read'] }),
      201,
    );
    const call = (method: string, path: string, body?: object) =>
      fetch(`${kernel.url}/api/v1/p/integrations${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key.token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await call('GET', '/endpoints')).status).toBe(200);
    const denied = await call('POST', '/endpoints', { url: 'https://example.com/x', patterns: ['*'] });
    expect(denied.status).toBe(403);
    const e = await endpoint('/perm');
    expect((await call('POST', `/endpoints/${e.id}/secret/rotate`, {})).status).toBe(403);
    expect(
      (
        await call('POST', `/endpoints/${e.id}/replay`, {
          from: '2020-01-01T00:00:00Z',
          to: '2030-01-01T00:00:00Z',
        })
      ).status,
    ).toBe(403);
    expect((await call('DELETE', `/endpoints/${e.id}`)).status).toBe(403);
    await ok(hooks.delete(`/endpoints/${e.id}`), 204);
  });

  it('keeps each tenant to its own endpoints, deliveries and events', async () => {
    const t1 = kernel.tenants[1]!;
    const other = t1.plugin('integrations');
    const mine = await endpoint('/isolated', { patterns: ['*'] });
    const before = rx.got('/isolated').length;
    // Tenant 1's events never reach tenant 0's endpoint.
    const w = await stockPlace(t1.plugin('warehouses'));
    await w.receive('9');
    await new Promise((r) => setTimeout(r, 800));
    expect(rx.got('/isolated')).toHaveLength(before);
    const listed = (await ok(other.get('/endpoints'))).endpoints.map((x: any) => x.id);
    expect(listed).not.toContain(mine.id);
    expect((await other.get(`/endpoints/${mine.id}`)).status).toBe(404);
    await place.receive('1');
    await waitFor(async () => (await deliveries(mine.id, 'delivered')).length >= 1);
    const [d] = await deliveries(mine.id);
    expect((await other.get(`/deliveries/${d.id}`)).status).toBe(404);
    expect((await other.post(`/deliveries/${d.id}/replay`)).status).toBe(404);
    await ok(hooks.delete(`/endpoints/${mine.id}`), 204);
  });
});
