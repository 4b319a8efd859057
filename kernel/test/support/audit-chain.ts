// Helpers for the audit suites: a tenant with a chain of N entries and checkpoints at chosen sizes,
// and tampering as a superuser with the append-only triggers switched off (what an attacker with
// full database access can do).
import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AuditEntry,
  canonicalJson,
  entryHash,
  leafHash,
  MerkleFrontier,
  type SealedEntry,
} from '../../src/audit/index.js';
import type { TestKernel } from './harness.js';

export async function bareTenant(k: TestKernel): Promise<string> {
  const id = randomUUID();
  await k.superuser.query('insert into erp.tenants (id, slug, name) values ($1, $2, $3)', [
    id,
    `a-${randomBytes(5).toString('hex')}`,
    'Audit test',
  ]);
  return id;
}

/** Records `n` entries (seq 1..n once sealed) and signs a checkpoint at each size in `checkpointsAt`. */
export async function makeChain(k: TestKernel, n: number, checkpointsAt: number[] = []): Promise<string> {
  const { tenantTx, audit, auditSealer } = k.container.cradle;
  const tenantId = await bareTenant(k);
  for (let i = 1; i <= n; i++) {
    await tenantTx.run(tenantId, (sql) =>
      audit.record(sql, {
        actor: { type: 'user', id: `user-${i % 3}` },
        action: 'test.thing.changed',
        resource: { type: 'thing', id: `thing-${i}` },
        change: { before: { n: i - 1 }, after: { n: i } },
        requestId: `req-${i}`,
        clientIp: '10.0.0.1',
      }),
    );
    if (checkpointsAt.includes(i)) {
      await auditSealer.flush();
      await auditSealer.checkpointNow(tenantId);
    }
  }
  await auditSealer.flush();
  return tenantId;
}

/** Runs statements as a superuser with triggers disabled (session_replication_role = replica). */
export async function tamper(k: TestKernel, statements: Array<[string, unknown[]?]>): Promise<void> {
  const c = await k.superuser.connect();
  try {
    await c.query('begin');
    await c.query('set local session_replication_role = replica');
    for (const [text, params] of statements) await c.query(text, params ?? []);
    await c.query('commit');
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

export async function readChain(k: TestKernel, tenantId: string): Promise<SealedEntry[]> {
  const { rows } = await k.superuser.query(
    'select * from erp.audit_entries where tenant_id = $1 order by seq',
    [tenantId],
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    seq: Number(r.seq),
    occurredAt: r.occurred_at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, userId: r.actor_user_id },
    action: r.action,
    resource: { type: r.resource_type, id: r.resource_id },
    requestId: r.request_id,
    clientIp: r.client_ip,
    change: r.change,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

/**
 * The strongest rewrite: from `fromSeq` on, change every entry's content and recompute every hash,
 * the sealer's head (hash and Merkle frontier), and delete the stored checkpoints that no longer
 * match (the attacker cannot sign new ones). Only evidence outside the database can tell.
 */
export async function rewriteTail(k: TestKernel, tenantId: string, fromSeq: number): Promise<void> {
  const chain = await readChain(k, tenantId);
  const frontier = new MerkleFrontier();
  let prev = chain[fromSeq - 2]?.hash ?? Buffer.alloc(32);
  const statements: Array<[string, unknown[]]> = [];
  for (const e of chain) {
    if (e.seq >= fromSeq) {
      const forged: Omit<AuditEntry, 'hash' | 'prevHash'> = { ...e, change: { after: { n: -e.seq } } };
      const hash = entryHash(prev, forged);
      statements.push([
        'update erp.audit_entries set change = $3, prev_hash = $4, hash = $5 where tenant_id = $1 and seq = $2',
        [tenantId, e.seq, canonicalJson(forged.change), prev, hash],
      ]);
      e.hash = hash;
      prev = hash;
    }
    frontier.append(leafHash(e.hash));
  }
  statements.push(
    [
      'update erp.audit_heads set hash = $2, frontier = $3::bytea[] where tenant_id = $1',
      [tenantId, prev, frontier.state],
    ],
    ['delete from erp.audit_checkpoints where tenant_id = $1 and size >= $2', [tenantId, fromSeq]],
  );
  await tamper(k, statements);
}
