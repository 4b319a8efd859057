// Many writers at once, with two sealers competing (as two kernel replicas would): one hot tenant,
// and 1,000 tenants. Every chain must come out valid with seq 1..n, no gap, no duplicate, no fork.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditSealer, sealerOptions } from '../src/audit/index.js';
import { bareTenant } from './support/audit-chain.js';
import { startTestKernel, type TestKernel } from './support/harness.js';

let k: TestKernel;
let rival: AuditSealer;
const WRITERS = 16;

beforeAll(async () => {
  k = await startTestKernel({
    ERP_AUDIT_CHECKPOINT_ENTRIES: '97',
    ERP_AUDIT_SEAL_INTERVAL_MS: '20',
    ERP_DB_POOL_SIZE: '16',
  });
  const c = k.container.cradle;
  // A second sealer on its own schedule: the head row lock must keep the two from forking a chain.
  rival = new AuditSealer(c.workerTenantTx, c.workerPool, c.auditKeys.signer, c.auditSink, {
    ...sealerOptions(c.config),
    intervalMs: 15,
    batchSize: 7,
  });
  rival.start();
});
afterAll(async () => {
  await rival?.stop();
  await k?.close();
});

async function write(pick: (writer: number, i: number) => string, perWriter: number): Promise<void> {
  const { tenantTx, audit } = k.container.cradle;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) {
        await tenantTx.run(pick(w, i), (sql) =>
          audit.record(sql, {
            actor: { type: 'user', id: `writer-${w}` },
            action: 'test.write.done',
            resource: { type: 'thing', id: `${w}-${i}` },
            change: { writer: w, i },
          }),
        );
      }
    }),
  );
  await k.container.cradle.auditSealer.flush();
  await rival.flush();
}

async function shape(tenantIds: string[]) {
  const { rows } = await k.superuser.query<{
    tenant_id: string;
    n: string;
    distinct_seq: string;
    max_seq: string;
  }>(
    `select tenant_id, count(*) as n, count(distinct seq) as distinct_seq, max(seq) as max_seq
       from erp.audit_entries where tenant_id = any($1::uuid[]) group by tenant_id`,
    [tenantIds],
  );
  return rows;
}

describe('audit under concurrent writers', () => {
  it(`${WRITERS} writers on one hot tenant: one valid chain, seq 1..n without gaps or duplicates`, async () => {
    const tenantId = await bareTenant(k);
    const perWriter = 40;
    await write(() => tenantId, perWriter);
    const [row] = await shape([tenantId]);
    const n = WRITERS * perWriter;
    expect(row).toMatchObject({ n: String(n), distinct_seq: String(n), max_seq: String(n) });
    const pending = await k.superuser.query('select count(*)::int as n from erp.audit_pending');
    expect(pending.rows[0].n).toBe(0);
    const r = await k.container.cradle.audit.verify(tenantId);
    expect(r).toMatchObject({ valid: true, entries: n, problems: [] });
    // Signed at the end of a sealing transaction once 97 or more entries are uncovered.
    expect(r.checkpoints.stored).toBeGreaterThanOrEqual(1);
    expect(r.checkpoints.matching).toBe(r.checkpoints.stored + (r.external?.checkpoints ?? 0));
    // Every writer's entries are all there, each once.
    const seen = await k.superuser.query(
      'select count(distinct resource_id)::int as n from erp.audit_entries where tenant_id = $1',
      [tenantId],
    );
    expect(seen.rows[0].n).toBe(n);
  });

  it(`${WRITERS} writers across 1,000 tenants: every chain valid, seq 1..n without gaps or duplicates`, async () => {
    const { rows } = await k.superuser.query<{ id: string }>(
      `insert into erp.tenants (slug, name, id)
       select 'c-' || substr(md5(random()::text), 1, 12) || '-' || g, 'Tenant ' || g, gen_random_uuid()
         from generate_series(1, 1000) g returning id`,
    );
    const tenants = rows.map((r) => r.id);
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const perWriter = 100;
    await write(() => tenants[rand() % tenants.length]!, perWriter);
    const shapes = await shape(tenants);
    expect(shapes.reduce((a, r) => a + Number(r.n), 0)).toBe(WRITERS * perWriter);
    for (const r of shapes) {
      expect(r.distinct_seq, r.tenant_id).toBe(r.n);
      expect(r.max_seq, r.tenant_id).toBe(r.n);
    }
    const queue = shapes.map((r) => r.tenant_id);
    const invalid: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let t = queue.shift(); t; t = queue.shift()) {
          const r = await k.container.cradle.audit.verify(t);
          if (!r.valid) invalid.push(`${t}: ${JSON.stringify(r.problems)}`);
        }
      }),
    );
    expect(invalid).toEqual([]);
  });
});
