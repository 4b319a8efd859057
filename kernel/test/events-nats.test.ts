// The event bus on NATS JetStream: relay with server-side dedupe, durable consumers per
// subscription, dead-letter stream and replay, broadcast. Runs when NATS_URL is set.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.js';
import { dropNamespace, FAST_BUS, NATS_URL, natsNamespace, waitFor } from './support/bus-env.js';
import { createEffectTables, installTestPlugin, publishMany } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

describe.skipIf(!NATS_URL)(
  `event bus on JetStream${NATS_URL ? '' : ' (skipped: NATS_URL is not set)'}`,
  () => {
    let k: TestKernel;
    let t: TestTenant;
    const namespace = natsNamespace();
    const count = async (where: string, params: unknown[] = []) =>
      Number(
        (await k.superuser.query(`select count(*)::int as n from public.effects where ${where}`, params))
          .rows[0].n,
      );
    const streamMessages = async (stream: string) => {
      const nc = await connect({ servers: NATS_URL! });
      try {
        return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
      } finally {
        await nc.close();
      }
    };

    beforeAll(async () => {
      k = await startTestKernel({
        ...FAST_BUS,
        NATS_URL: NATS_URL!,
        ERP_NATS_NAMESPACE: namespace,
        ERP_EVENTS_MAX_ATTEMPTS: '2',
      });
      await createEffectTables(k.superuser);
      const { events, jobs } = k.container.cradle;
      await installTestPlugin({ events, jobs });
      t = await createTenant(k);
    });
    afterAll(async () => {
      await k?.close();
      await dropNamespace(NATS_URL!, namespace);
    });

    it('relays each event once and delivers it once per durable subscription', async () => {
      expect(k.container.cradle.events.mode).toBe('jetstream');
      const ids = await publishMany(k.container.cradle, t.tenantId, 40, 4);
      await waitFor(
        async () => (await count(`kind = 'event'`)) >= 80,
        'both subscriptions to handle 40 events',
      );
      const rows = await k.superuser.query(
        `select source, count(*)::int as n, count(distinct ref)::int as d from public.effects
        where kind = 'event' group by source order by source`,
      );
      expect(rows.rows).toEqual([
        { source: 'test:count-a', n: 40, d: 40 },
        { source: 'test:count-b', n: 40, d: 40 },
      ]);
      expect(await streamMessages(`${namespace}_events`)).toBe(40);
      const relayed = await k.superuser.query(
        'select count(*)::int as n from erp.event_outbox where relayed_at is null',
      );
      expect(relayed.rows[0].n).toBe(0);

      // A relay that crashed after publishing and before marking its rows publishes them again:
      // JetStream drops the copies (message id = outbox id) and no handler runs twice.
      await k.superuser.query('update erp.event_outbox set relayed_at = null where id = any($1)', [
        ids.slice(0, 10),
      ]);
      await k.superuser.query(`select pg_notify('erp_outbox', '')`);
      await waitFor(async () => {
        const r = await k.superuser.query(
          'select count(*)::int as n from erp.event_outbox where relayed_at is null',
        );
        return r.rows[0].n === 0;
      }, 'the re-relay');
      await new Promise((r) => setTimeout(r, 300));
      expect(await streamMessages(`${namespace}_events`)).toBe(40);
      expect(await count(`kind = 'event'`)).toBe(80);
    });

    it('dead-letters after the last try (Postgres record and dead-letter stream) and replays once', async () => {
      await k.superuser.query(`insert into public.bus_control values ('fail:test:count-a', 'yes')`);
      const [id] = await publishMany(k.container.cradle, t.tenantId, 1);
      const dead = (await waitFor(async () => {
        const r = await call(k, 'GET', '/api/v1/events/dead-letters', { auth: t.auth });
        return (r.json().items as Array<{ eventId: string }>).find((d) => d.eventId === id);
      }, 'the dead letter')) as unknown as { id: string; attempts: number; subscriber: string };
      expect(dead).toMatchObject({ subscriber: 'test:count-a', attempts: 2 });
      await waitFor(
        async () => (await streamMessages(`${namespace}_dead_letters`)) === 1,
        'the dead-letter stream copy',
      );
      await k.superuser.query('delete from public.bus_control');
      const res = await call(k, 'POST', `/api/v1/events/dead-letters/${dead.id}/replay`, { auth: t.auth });
      expect(res.statusCode).toBe(202);
      await waitFor(
        async () => (await count(`source = 'test:count-a' and ref = $1`, [id])) === 1,
        'the replay',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await count('ref = $1', [id])).toBe(2);
    });

    it('replays past events to one subscriber through the delivery queue', async () => {
      const before = await count(`source = 'test:count-b'`);
      const res = await call(k, 'POST', '/api/v1/events/replay', {
        auth: t.auth,
        body: { subscriber: 'test:count-a', fromTime: new Date(Date.now() - 3_600_000).toISOString() },
      });
      const { replayId, events } = res.json();
      expect(events).toBe(41);
      await waitFor(async () => (await count('note = $1', [replayId])) === 41, 'the replay');
      expect(await count(`source = 'test:count-b'`)).toBe(before);
    });

    it('broadcasts to listeners over NATS and reports the bus ready', async () => {
      const { events, tenantTx } = k.container.cradle;
      const seen: unknown[] = [];
      const off = events.listen('kernel.plugin.changed', (e) => void seen.push(e.payload));
      const payload = { tenantId: t.tenantId, plugin: 'costing', version: '2.0.0', action: 'upgraded' };
      await tenantTx.run(t.tenantId, (sql) => events.publish(sql, 'kernel.plugin.changed', payload));
      await waitFor(async () => seen.length > 0, 'the broadcast');
      expect(seen).toEqual([payload]);
      off();
      const ready = await call(k, 'GET', '/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json().checks.bus).toBe('ok');
    });
  },
);
