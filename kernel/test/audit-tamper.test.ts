// The tamper suite: a superuser with the append-only triggers disabled changes each column of an
// entry, deletes one, swaps two, cuts the tail, and rewrites the tail recomputing every hash. Each
// is detected (the rewrite only through the checkpoints kept outside the database) and the
// verifier names the first entry that is wrong.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeChain, rewriteTail, tamper } from './support/audit-chain.js';
import { startTestKernel, type TestKernel } from './support/harness.js';

let k: TestKernel;
// Every finding must be the same when the chain is checked in runs on worker threads (issue 13):
// runs of two entries on two threads, so tampering lands on run boundaries and inside runs.
const verify = async (tenantId: string) => {
  const { audit } = k.container.cradle;
  const inline = await audit.verify(tenantId);
  const parallel = await audit.verify(tenantId, { threads: 2, runSize: 2 });
  const { verifiedAt: _a, ...a } = inline;
  const { verifiedAt: _b, ...b } = parallel;
  expect(b).toEqual(a);
  return inline;
};

beforeAll(async () => {
  // Checkpoints only when a test asks for one, so their sizes are known.
  k = await startTestKernel({
    ERP_AUDIT_CHECKPOINT_ENTRIES: '1000000',
    ERP_AUDIT_CHECKPOINT_SECONDS: '86400',
  });
});
afterAll(async () => k?.close());

describe('audit tamper detection', () => {
  it('an untouched chain verifies', async () => {
    const tenantId = await makeChain(k, 6, [3, 6]);
    const r = await verify(tenantId);
    expect(r).toMatchObject({ valid: true, entries: 6, firstBadSeq: null, checkpoints: { stored: 2 } });
    expect(r.external).toMatchObject({ latestSize: 6, matches: true, checkpoints: 2 });
  });

  const columns: Array<[string, string]> = [
    ['occurred_at', "occurred_at = occurred_at + interval '1 second'"],
    ['actor_type', "actor_type = 'system'"],
    ['actor_id', "actor_id = 'someone-else'"],
    ['actor_user_id', "actor_user_id = 'someone-else'"],
    ['action', "action = 'test.thing.deleted'"],
    ['resource_type', "resource_type = 'other'"],
    ['resource_id', 'resource_id = null'],
    ['request_id', "request_id = 'req-forged'"],
    ['client_ip', "client_ip = '192.0.2.1'"],
    ['change', `change = '{"before":{"n":2},"after":{"n":300}}'`],
    ['prev_hash', "prev_hash = sha256('forged')"],
    ['hash', "hash = sha256('forged')"],
    ['seq', 'seq = 1000'],
    ['tenant_id', 'tenant_id = $2'],
  ];
  it.each(columns)('a changed %s is detected at that entry', async (column, set) => {
    const tenantId = await makeChain(k, 6, [6]);
    const other = column === 'tenant_id' ? await makeChain(k, 1) : null;
    await tamper(k, [
      [
        `update erp.audit_entries set ${set} where tenant_id = $1 and seq = 3`,
        other ? [tenantId, other] : [tenantId],
      ],
    ]);
    const r = await verify(tenantId);
    expect(r.valid).toBe(false);
    expect(r.firstBadSeq).toBe(3);
    if (other) expect((await verify(other)).valid).toBe(false); // and the tenant it was moved into
  });

  it('a deleted entry is detected and named', async () => {
    const tenantId = await makeChain(k, 6, [6]);
    await tamper(k, [['delete from erp.audit_entries where tenant_id = $1 and seq = 4', [tenantId]]]);
    const r = await verify(tenantId);
    expect(r).toMatchObject({ valid: false, firstBadSeq: 4 });
    expect(r.problems[0]).toMatchObject({ code: 'ENTRY_MISSING', seq: 4 });
  });

  it('two swapped entries are detected at the first of them', async () => {
    const tenantId = await makeChain(k, 6, [6]);
    await tamper(k, [
      ['update erp.audit_entries set seq = 1000000 where tenant_id = $1 and seq = 2', [tenantId]],
      ['update erp.audit_entries set seq = 2 where tenant_id = $1 and seq = 5', [tenantId]],
      ['update erp.audit_entries set seq = 5 where tenant_id = $1 and seq = 1000000', [tenantId]],
    ]);
    const r = await verify(tenantId);
    expect(r).toMatchObject({ valid: false, firstBadSeq: 2 });
    expect(r.problems.map((p) => p.seq)).toContain(5);
  });

  it('a cut tail is detected, even when the head and stored checkpoints are cut too', async () => {
    const tenantId = await makeChain(k, 8, [4, 8]);
    await tamper(k, [['delete from erp.audit_entries where tenant_id = $1 and seq > 5', [tenantId]]]);
    expect(await verify(tenantId)).toMatchObject({ valid: false, firstBadSeq: 6 });
    // Cover the tracks in the database: only the external checkpoint still knows.
    await tamper(k, [
      ['delete from erp.audit_checkpoints where tenant_id = $1 and size > 5', [tenantId]],
      [
        `update erp.audit_heads h set seq = 5, checkpoint_size = 4,
                hash = (select hash from erp.audit_entries e where e.tenant_id = h.tenant_id and e.seq = 5)
          where tenant_id = $1`,
        [tenantId],
      ],
    ]);
    const r = await verify(tenantId);
    expect(r).toMatchObject({ valid: false, firstBadSeq: 6 });
    expect(r.problems.map((p) => p.code)).toEqual(['EXTERNAL_CHECKPOINT_BEYOND_CHAIN']);
  });

  it('a rewritten tail with every hash recomputed is caught by the external checkpoint, naming the first rewritten seq', async () => {
    const tenantId = await makeChain(k, 12, [4, 8, 12]);
    await rewriteTail(k, tenantId, 7);
    const r = await verify(tenantId);
    expect(r.valid).toBe(false);
    expect(r.firstBadSeq).toBe(7);
    const codes = r.problems.map((p) => p.code);
    expect(codes).toContain('ENTRY_REWRITTEN');
    expect(codes).toContain('EXTERNAL_CHECKPOINT_MISMATCH');
    // The database alone is consistent: nothing in it is detectably wrong.
    expect(codes.every((c) => c.startsWith('EXTERNAL_') || c === 'ENTRY_REWRITTEN')).toBe(true);
  });

  it('without the entry hashes kept outside, the rewrite is still caught and bounded by the checkpoints', async () => {
    const tenantId = await makeChain(k, 12, [4, 8, 12]);
    rmSync(join(k.container.cradle.config.ERP_DATA_DIR, 'audit-checkpoints', tenantId, 'hashes'), {
      recursive: true,
    });
    await rewriteTail(k, tenantId, 7);
    const r = await verify(tenantId);
    expect(r.valid).toBe(false);
    expect(r.firstBadSeq).toBe(5); // the first entry after the last checkpoint that still matches (4)
    expect(r.problems[0]).toMatchObject({ code: 'EXTERNAL_CHECKPOINT_MISMATCH', checkpointSize: 8 });
  });

  it('a forged stored checkpoint is rejected by its signature', async () => {
    const tenantId = await makeChain(k, 4, [4]);
    await tamper(k, [
      [
        `update erp.audit_checkpoints set note = replace(note, E'\\n4\\n', E'\\n3\\n') where tenant_id = $1`,
        [tenantId],
      ],
    ]);
    const r = await verify(tenantId);
    expect(r.valid).toBe(false);
    expect(r.problems[0]).toMatchObject({ code: 'CHECKPOINT_SIGNATURE' });
  });
});
