// Batched delivery (issue 13): under load several deliveries of one tenant share one handler
// transaction, a savepoint each. A poisoned delivery inside a batch rolls back alone and goes to
// its own retries and dead letter; its batch mates commit, each exactly once. Runs on the embedded
// bus, and on JetStream when NATS_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropNamespace, FAST_BUS, NATS_URL, natsNamespace, waitFor } from './support/bus-env.js';
import { createEffectTables } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

const EVENTS = 40;
const POISON = new Set([7, 23]);

const modes = [
  { name: 'embedded', nats: undefined as string | undefined },
  ...(NATS_URL ? [{ name: 'JetStream', nats: NATS_URL }] : []),
];

describe.each(modes)('batched delivery ($name)', ({ nats }) => {
  let k: TestKernel;
  let t: TestTenant;
  const namespace = natsNamespace();
  /** The transaction each try of a poisoned event ran in, by subscription and event. */
  const poisonedTries: Array<{ sub: string; n: number; attempt: number; txid: string }> = [];

  beforeAll(async () => {
    k = await startTestKernel({
      ...FAST_BUS,
      ERP_EVENTS_CONCURRENCY: '4',
      ...(nats ? { NATS_URL: nats, ERP_NATS_NAMESPACE: namespace } : {}),
    });
    await createEffectTables(k.superuser);
    const { events } = k.container.cradle;
    events.registry.define('batch', {
      'thing.done': {
        type: 'object',
        additionalProperties: false,
        required: ['n'],
        properties: { n: { type: 'integer', minimum: 0 } },
      },
    });
    // once: a poisoned event fails every try and, with one try, is dead-lettered at once.
    // twice: a poisoned event fails its first try only and commits on its retry.
    for (const [name, maxAttempts] of [
      ['once', 1],
      ['twice', 3],
    ] as const) {
      await events.subscribe({
        plugin: 'batch',
        name,
        subject: 'batch.thing.done',
        maxAttempts,
        handler: async (sql, event) => {
          const { n } = event.payload as { n: number };
          const tx = await sql.one<{ txid: string }>('select txid_current()::text as txid');
          await sql.query(
            'insert into public.effects (kind, tenant_id, source, ref, note) values ($1, $2, $3, $4, $5)',
            ['batch', sql.tenantId, name, String(n), tx!.txid],
          );
          if (POISON.has(n) && (name === 'once' || event.attempt === 1)) {
            poisonedTries.push({ sub: name, n, attempt: event.attempt, txid: tx!.txid });
            throw new Error(`poisoned event ${n}`);
          }
        },
      });
    }
    t = await createTenant(k);
  });
  afterAll(async () => {
    await k?.close();
    if (nats) await dropNamespace(nats, namespace);
  });

  it('rolls a poisoned delivery back alone: its retries and dead letter are its own, its batch mates commit once', async () => {
    const { tenantTx, events } = k.container.cradle;
    // One publishing transaction: the events reach the subscribers together and are batched.
    await tenantTx.run(t.tenantId, async (sql) => {
      for (let n = 0; n < EVENTS; n++) await events.publish(sql, 'batch.thing.done', { n });
    });
    const effects = async () =>
      (
        await k.superuser.query<{ source: string; ref: string; note: string }>(
          `select source, ref, note from public.effects where kind = 'batch' and tenant_id = $1`,
          [t.tenantId],
        )
      ).rows;
    await waitFor(async () => {
      const rows = await effects();
      return rows.filter((r) => r.source === 'twice').length === EVENTS && rows.length === 2 * EVENTS - 2;
    }, 'every delivery but the dead-lettered ones to commit');
    const dead = await waitFor(async () => {
      const r = await k.superuser.query<{ subscriber: string; n: number; attempts: number; error: string }>(
        `select d.subscriber, (o.payload->>'n')::int as n, d.attempts, d.error
           from erp.event_dead_letters d join erp.event_outbox o on o.tenant_id = d.tenant_id and o.id = d.event_id
          where d.tenant_id = $1 order by n`,
        [t.tenantId],
      );
      return r.rows.length === POISON.size ? r.rows : undefined;
    }, 'the dead letters');

    // Dead letters: the poisoned events of "once", after their one try; none of "twice".
    expect(dead).toEqual(
      [...POISON].map((n) => ({ subscriber: 'batch:once', n, attempts: 1, error: `poisoned event ${n}` })),
    );
    // Exactly once: every other delivery committed one effect; a poisoned try left nothing.
    const rows = await effects();
    for (const source of ['once', 'twice']) {
      const refs = rows.filter((r) => r.source === source).map((r) => Number(r.ref));
      const expected = [...Array(EVENTS).keys()].filter((n) => source === 'twice' || !POISON.has(n));
      expect(refs.sort((a, b) => a - b)).toEqual(expected);
    }
    // "twice" retried its poisoned events once each, and committed them on the second try.
    const twice = poisonedTries.filter((p) => p.sub === 'twice');
    expect(twice.map((p) => [p.n, p.attempt]).sort((a, b) => a[0]! - b[0]!)).toEqual(
      [...POISON].map((n) => [n, 1]),
    );
    // Deliveries were batched, and a poisoned try shared its transaction with batch mates that
    // committed (their effects carry its transaction id).
    const perTx = new Map<string, number>();
    for (const r of rows) perTx.set(r.note, (perTx.get(r.note) ?? 0) + 1);
    expect(Math.max(...perTx.values())).toBeGreaterThan(1);
    if (!nats) expect(poisonedTries.some((p) => (perTx.get(p.txid) ?? 0) > 0)).toBe(true);
    // Nothing left queued, nothing handled twice.
    const left = await k.superuser.query('select count(*)::int as n from erp.event_deliveries');
    expect(left.rows[0].n).toBe(0);
    const inbox = await k.superuser.query(
      `select count(*)::int as n from erp.event_inbox where tenant_id = $1 and subscriber like 'batch:%'`,
      [t.tenantId],
    );
    expect(inbox.rows[0].n).toBe(2 * EVENTS - POISON.size);
  });
});
