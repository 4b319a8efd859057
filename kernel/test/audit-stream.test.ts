// Reading a chain back in pages read ahead: whatever gaps and displaced rows tampering leaves, the
// entries come out exactly as one ordered query returns them, so the verifier sees the same rows.
// Small pages make a short chain span many of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEntries } from '../src/audit/index.js';
import { makeChain, tamper } from './support/audit-chain.js';
import { startTestKernel, type TestKernel } from './support/harness.js';

let k: TestKernel;
beforeAll(async () => {
  k = await startTestKernel({
    ERP_AUDIT_CHECKPOINT_ENTRIES: '1000000',
    ERP_AUDIT_CHECKPOINT_SECONDS: '86400',
  });
});
afterAll(async () => k?.close());

async function streamed(tenantId: string, opts: { fromSeq?: number; toSeq?: number; pageSize: number }) {
  const out: Array<{ seq: number; hash: string }> = [];
  for await (const e of streamEntries(k.container.cradle.tenantTx, tenantId, opts))
    out.push({ seq: e.seq, hash: e.hash.toString('hex') });
  return out;
}

async function stored(tenantId: string, from = 1, to = Number.MAX_SAFE_INTEGER) {
  const { rows } = await k.superuser.query<{ seq: string; hash: Buffer }>(
    'select seq, hash from erp.audit_entries where tenant_id = $1 and seq >= $2 and seq <= $3 order by seq',
    [tenantId, from, to],
  );
  return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash.toString('hex') }));
}

describe('audit entries read in pages', () => {
  it('returns every entry once, in order, across pages, gaps and a displaced row', async () => {
    const tenantId = await makeChain(k, 25);
    for (const pageSize of [1, 4, 5, 25, 100])
      expect(await streamed(tenantId, { pageSize }), `page ${pageSize}`).toEqual(await stored(tenantId));
    expect(await streamed(tenantId, { pageSize: 4, fromSeq: 3, toSeq: 17 })).toEqual(
      await stored(tenantId, 3, 17),
    );

    await tamper(k, [
      ['delete from erp.audit_entries where tenant_id = $1 and seq = 6', [tenantId]],
      ['delete from erp.audit_entries where tenant_id = $1 and seq between 13 and 20', [tenantId]],
      ['update erp.audit_entries set seq = 1000000 where tenant_id = $1 and seq = 22', [tenantId]],
    ]);
    const expected = await stored(tenantId);
    expect(expected.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 21, 23, 24, 25, 1000000]);
    for (const pageSize of [1, 3, 4, 5, 100])
      expect(await streamed(tenantId, { pageSize }), `page ${pageSize}`).toEqual(expected);
    expect(await streamed(tenantId, { pageSize: 2, fromSeq: 4, toSeq: 24 })).toEqual(
      await stored(tenantId, 4, 24),
    );
  });
});
