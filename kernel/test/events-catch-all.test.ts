// Catch-all subscriptions (subject '*', for plugins that forward events they cannot name in
// advance, like webhooks): every declared type reaches them, but only from tenants that run the
// subscriber's plugin (enabled); the envelope carries the publication sequence. On JetStream the
// consumer filters `<ns>.*.>` (every type of every tenant; the plugin host drops the events of
// tenants that do not run the plugin, as for every plugin subscription).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../src/events/index.js';
import { dropNamespace, FAST_BUS, NATS_URL, natsNamespace, waitFor } from './support/bus-env.js';
import { installTestPlugin, publishMany } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

/** The test plugin's fixtures plus a catch-all subscriber 'spy:everything' that records what it gets. */
async function subscribeSpy(k: TestKernel, seen: EventEnvelope[]): Promise<void> {
  const { events, jobs } = k.container.cradle;
  await installTestPlugin({ events, jobs }, { subscriptions: ['count-a'] });
  await events.subscribe({
    plugin: 'spy',
    name: 'everything',
    subject: '*',
    handler: async (_sql, event) => {
      seen.push(event);
    },
  });
}

describe('catch-all subscriptions', () => {
  let k: TestKernel;
  let runs: TestTenant;
  let other: TestTenant;
  let paused: TestTenant;
  const seen: EventEnvelope[] = [];

  const install = (t: TestTenant, status: 'enabled' | 'disabled') =>
    k.superuser.query(
      `insert into erp.plugin_installations (tenant_id, plugin_id, package, version, status)
       values ($1, 'spy', '@test/spy', '1.0.0', $2)`,
      [t.tenantId, status],
    );

  beforeAll(async () => {
    k = await startTestKernel(FAST_BUS);
    await subscribeSpy(k, seen);
    runs = await createTenant(k);
    other = await createTenant(k);
    paused = await createTenant(k);
    await install(runs, 'enabled');
    await install(paused, 'disabled');
  });
  afterAll(async () => k?.close());

  it('gets every event of the tenants that run its plugin, with their sequence, and no others', async () => {
    const cradle = k.container.cradle;
    await publishMany(cradle, other.tenantId, 3);
    await publishMany(cradle, paused.tenantId, 3);
    const mine = await publishMany(cradle, runs.tenantId, 5);
    await waitFor(async () => seen.length >= 5, 'the catch-all subscriber to get 5 events');
    // The other tenants' events were routed in the same or earlier batches: give stragglers a beat.
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.map((e) => e.tenantId)).toEqual(Array(5).fill(runs.tenantId));
    expect(new Set(seen.map((e) => e.id))).toEqual(new Set(mine));
    expect(seen.every((e) => e.type === 'test.thing.happened' && /^[0-9]+$/.test(e.sequence))).toBe(true);
    // Nothing is left queued for it: the other tenants' events were never fanned out to it.
    const queued = await k.superuser.query(
      `select count(*)::int as n from erp.event_deliveries where subscriber = 'spy:everything'`,
    );
    expect(queued.rows[0].n).toBe(0);
  });

  it('still refuses an undeclared subject that is not the catch-all', async () => {
    await expect(
      k.container.cradle.events.subscribe({
        plugin: 'spy',
        name: 'typo',
        subject: 'nobody.*',
        handler: async () => {},
      }),
    ).rejects.toMatchObject({ code: 'ERP_SUBSCRIPTION_SUBJECT_UNDECLARED' });
  });
});

describe.skipIf(!NATS_URL)(
  `catch-all subscriptions on JetStream${NATS_URL ? '' : ' (skipped: NATS_URL is not set)'}`,
  () => {
    let k: TestKernel;
    const namespace = natsNamespace();
    const seen: EventEnvelope[] = [];

    beforeAll(async () => {
      k = await startTestKernel({ ...FAST_BUS, NATS_URL: NATS_URL!, ERP_NATS_NAMESPACE: namespace });
      await subscribeSpy(k, seen);
    });
    afterAll(async () => {
      await k?.close();
      await dropNamespace(NATS_URL!, namespace);
    });

    it('gets every event type through one durable consumer', async () => {
      expect(k.container.cradle.events.mode).toBe('jetstream');
      const t = await createTenant(k);
      const mine = await publishMany(k.container.cradle, t.tenantId, 5);
      await waitFor(
        async () => seen.filter((e) => e.tenantId === t.tenantId).length >= 5,
        'the catch-all consumer',
      );
      const got = seen.filter((e) => e.tenantId === t.tenantId);
      expect(new Set(got.map((e) => e.id))).toEqual(new Set(mine));
      expect(got.every((e) => /^[0-9]+$/.test(e.sequence))).toBe(true);
    });
  },
);
