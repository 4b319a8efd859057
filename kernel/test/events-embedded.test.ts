// The event bus on its embedded default (no NATS): publishing in the unit of work, schema and
// subject errors, exactly-once delivery per subscription, broadcast, replay, dead letters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventError } from '../src/events/index.js';
import { call, expectProblem } from './support/api.js';
import { FAST_BUS, waitFor } from './support/bus-env.js';
import { createEffectTables, installTestPlugin, publishMany } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

describe('event bus (embedded)', () => {
  let k: TestKernel;
  let t: TestTenant;
  const count = async (where: string, params: unknown[] = []) =>
    Number(
      (await k.superuser.query(`select count(*)::int as n from public.effects where ${where}`, params))
        .rows[0].n,
    );

  beforeAll(async () => {
    k = await startTestKernel({ ...FAST_BUS, ERP_EVENTS_MAX_ATTEMPTS: '2' });
    await createEffectTables(k.superuser);
    const { events, jobs } = k.container.cradle;
    await installTestPlugin({ events, jobs });
    t = await createTenant(k);
  });
  afterAll(async () => k?.close());

  it('delivers each committed event once to each subscription, in the event\u2019s tenant', async () => {
    const ids = await publishMany(k.container.cradle, t.tenantId, 40, 4);
    await waitFor(
      async () => (await count(`kind = 'event'`)) >= 80,
      'both subscriptions to handle 40 events',
    );
    const rows = await k.superuser.query(
      `select source, count(*)::int as n, count(distinct ref)::int as d from public.effects
        where kind = 'event' and tenant_id = $1 group by source order by source`,
      [t.tenantId],
    );
    expect(rows.rows).toEqual([
      { source: 'test:count-a', n: 40, d: 40 },
      { source: 'test:count-b', n: 40, d: 40 },
    ]);
    const handled = await k.superuser.query('select distinct ref from public.effects where kind = $1', [
      'event',
    ]);
    expect(new Set(handled.rows.map((r) => r.ref))).toEqual(new Set(ids));
    const left = await k.superuser.query('select count(*)::int as n from erp.event_deliveries');
    expect(left.rows[0].n).toBe(0);
  });

  it('rolls back the unit of work on an unknown subject or a payload that breaks the schema', async () => {
    const { tenantTx, events } = k.container.cradle;
    const attempt = (type: string, payload: unknown) =>
      tenantTx.run(t.tenantId, async (sql) => {
        await sql.query(`update erp.tenants set name = 'changed' where id = $1`, [t.tenantId]);
        await events.publish(sql, 'test.thing.happened', { n: 1 });
        await events.publish(sql, type, payload);
      });
    const before = await k.superuser.query('select count(*)::int as n from erp.event_outbox');
    await expect(attempt('test.nothing', {})).rejects.toMatchObject({ code: 'ERP_EVENT_UNKNOWN' });
    const bad = await attempt('test.thing.happened', { n: -1, extra: true }).catch((e) => e);
    expect(bad).toBeInstanceOf(EventError);
    expect(bad.code).toBe('ERP_EVENT_PAYLOAD_INVALID');
    expect(bad.errors).toEqual(
      expect.arrayContaining([
        { field: '/payload/n', message: 'must be >= 0' },
        { field: '/payload/extra', message: 'must NOT have additional properties' },
      ]),
    );
    const after = await k.superuser.query('select count(*)::int as n from erp.event_outbox');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const tenant = await k.superuser.query('select name from erp.tenants where id = $1', [t.tenantId]);
    expect(tenant.rows[0].name).not.toBe('changed');
  });

  it('refuses subscriptions to undeclared subjects and a second handler for one subscription', async () => {
    const { events } = k.container.cradle;
    const handler = async () => {};
    await expect(
      events.subscribe({ plugin: 'test', name: 'x', subject: 'nobody.declared', handler }),
    ).rejects.toMatchObject({
      code: 'ERP_SUBSCRIPTION_SUBJECT_UNDECLARED',
    });
    await expect(
      events.subscribe({ plugin: 'test', name: 'count-a', subject: 'test.thing.happened', handler }),
    ).rejects.toMatchObject({ code: 'ERP_SUBSCRIPTION_EXISTS' });
    await expect(
      events.subscribe({ plugin: 'Bad Name', name: 'x', subject: 'test.thing.other', handler }),
    ).rejects.toMatchObject({
      code: 'ERP_EVENT_NAME_INVALID',
    });
    expect(() => events.registry.define('test', { 'Bad Event': {} })).toThrow(/not dot-separated/);
  });

  it('broadcasts kernel.plugin.changed to listeners of every instance after commit only', async () => {
    const { events, tenantTx } = k.container.cradle;
    const seen: unknown[] = [];
    const off = events.listen('kernel.plugin.changed', (e) => void seen.push(e.payload));
    const payload = { tenantId: t.tenantId, plugin: 'warehouses', version: '1.2.0', action: 'installed' };
    await tenantTx
      .run(t.tenantId, async (sql) => {
        await events.publish(sql, 'kernel.plugin.changed', { ...payload, version: '9.9.9' });
        throw new Error('roll back');
      })
      .catch(() => {});
    await tenantTx.run(t.tenantId, (sql) => events.publish(sql, 'kernel.plugin.changed', payload));
    await waitFor(async () => seen.length > 0, 'the broadcast');
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([payload]);
    off();
    expect(() => events.listen('test.thing.happened', () => {})).toThrow(/not declared as a broadcast/);
    await expect(
      tenantTx.run(t.tenantId, (sql) =>
        events.publish(sql, 'kernel.plugin.changed', { ...payload, action: 'exploded' }),
      ),
    ).rejects.toMatchObject({ code: 'ERP_EVENT_PAYLOAD_INVALID' });
  });

  it('replays a tenant\u2019s events from a sequence to one named subscriber only', async () => {
    const before = await count(`source = 'test:count-b'`);
    const list = await call(k, 'GET', '/api/v1/events?type=test.thing.happened&limit=500', { auth: t.auth });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ sequence: string }>;
    const from = items[items.length - 10]!.sequence;
    const res = await call(k, 'POST', '/api/v1/events/replay', {
      auth: t.auth,
      body: { subscriber: 'test:count-a', fromSequence: from },
    });
    expect(res.statusCode).toBe(202);
    const { replayId, events } = res.json();
    expect(events).toBe(10);
    await waitFor(async () => (await count('note = $1', [replayId])) === 10, 'the replay');
    expect(await count(`source = 'test:count-a' and note = $1`, [replayId])).toBe(10);
    expect(await count(`source = 'test:count-b'`)).toBe(before);
    expectProblem(
      await call(k, 'POST', '/api/v1/events/replay', {
        auth: t.auth,
        body: { subscriber: 'test:nobody', fromSequence: '1' },
      }),
      400,
      'ERP_SUBSCRIBER_UNKNOWN',
    );
    const time = await call(k, 'POST', '/api/v1/events/replay', {
      auth: t.auth,
      body: { subscriber: 'test:count-b', fromTime: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(time.json().events).toBe(0);
  });

  it('dead-letters an event after its last try and delivers it once when an admin replays it', async () => {
    await k.superuser.query(`insert into public.bus_control values ('fail:test:count-b', 'yes')`);
    const [id] = await publishMany(k.container.cradle, t.tenantId, 1);
    const dead = await waitFor(async () => {
      const r = await call(k, 'GET', '/api/v1/events/dead-letters', { auth: t.auth });
      return (r.json().items as Array<{ eventId: string }>).find((d) => d.eventId === id);
    }, 'the dead letter');
    expect(dead).toMatchObject({ subscriber: 'test:count-b', attempts: 2, type: 'test.thing.happened' });
    expect((dead as unknown as { error: string }).error).toMatch(/induced failure/);
    expect(await count(`source = 'test:count-a' and ref = $1`, [id])).toBe(1);
    expect(await count(`source = 'test:count-b' and ref = $1`, [id])).toBe(0);

    await k.superuser.query(`delete from public.bus_control`);
    const url = `/api/v1/events/dead-letters/${(dead as unknown as { id: string }).id}/replay`;
    expect((await call(k, 'POST', url, { auth: t.auth })).statusCode).toBe(202);
    expectProblem(await call(k, 'POST', url, { auth: t.auth }), 409, 'ERP_DEAD_LETTER_REPLAYED');
    await waitFor(
      async () => (await count(`source = 'test:count-b' and ref = $1`, [id])) === 1,
      'the replayed delivery',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(`ref = $1`, [id])).toBe(2);
    const r = await call(k, 'GET', '/api/v1/events/dead-letters', { auth: t.auth });
    expect(r.json().items).toEqual([]);
    expectProblem(
      await call(k, 'POST', '/api/v1/events/dead-letters/00000000-0000-4000-8000-000000000000/replay', {
        auth: t.auth,
      }),
      404,
      'ERP_NOT_FOUND',
    );
  });

  it('keeps tenants apart and guards the admin routes by permission', async () => {
    const other = await createTenant(k);
    const mine = await call(k, 'GET', '/api/v1/events?limit=500', { auth: t.auth });
    const theirs = await call(k, 'GET', '/api/v1/events?limit=500', { auth: other.auth });
    expect(mine.json().items.length).toBeGreaterThan(0);
    expect(theirs.json().items).toEqual([]);
    const subs = await call(k, 'GET', '/api/v1/events/subscribers', { auth: t.auth });
    const keys = subs.json().items.map((s: { key: string }) => s.key);
    expect(keys.filter((key: string) => key.startsWith('test:'))).toEqual(['test:count-a', 'test:count-b']);
    const anon = await call(k, 'GET', '/api/v1/events/dead-letters');
    expect(anon.statusCode).toBe(401);
    const perms = await call(k, 'GET', '/api/v1/iam/permissions', { auth: t.auth });
    const names = perms.json().items.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'kernel.events.read',
        'kernel.events.replay',
        'kernel.jobs.read',
        'kernel.jobs.retry',
      ]),
    );
    const ready = await call(k, 'GET', '/health/ready');
    expect(ready.json().checks.bus).toBe('ok');
  });

  it('stops serving an unsubscribed subscription; forget removes it for good', async () => {
    const { events } = k.container.cradle;
    await events.unsubscribe('test', 'count-b');
    const [id] = await publishMany(k.container.cradle, t.tenantId, 1);
    await waitFor(async () => (await count(`source = 'test:count-a' and ref = $1`, [id])) === 1, 'count-a');
    const queued = await k.superuser.query(
      `select count(*)::int as n from erp.event_deliveries where subscriber = 'test:count-b'`,
    );
    expect(queued.rows[0].n).toBe(1);
    await events.unsubscribe('test', 'count-b', { forget: true });
    const gone = await k.superuser.query(
      `select count(*)::int as n from erp.event_deliveries where subscriber = 'test:count-b'`,
    );
    expect(gone.rows[0].n).toBe(0);
    const subs = await k.superuser.query(`select key from erp.event_subscribers where plugin = 'test'`);
    expect(subs.rows.map((r) => r.key)).toEqual(['test:count-a']);
  });
});
