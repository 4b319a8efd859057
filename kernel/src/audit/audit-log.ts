// The audit service the rest of the kernel (and later ctx.audit) talks to: record an entry in a
// unit of work, verify a tenant's chain against its checkpoints and the external sink, export it.
import type { TenantTx } from '../tenancy/index.js';
import type { AuditRecordInput } from './entry.js';
import { checkpointLine, entryLine, headerLine } from './export.js';
import type { NoteSigner, VerifierKey } from './note.js';
import { RUN_SIZE, threadsFor, verifyRuns } from './parallel.js';
import { type AuditSql, recordAudit } from './record.js';
import type { AuditSealer } from './sealer.js';
import type { CheckpointSink } from './sink.js';
import { sealedHead, storedCheckpoints, storedRuns, streamEntries } from './store.js';
import { ChainVerifier, type VerifyReport } from './verifier.js';

export interface TenantVerifyReport extends VerifyReport {
  /** Entries committed but not sealed yet (not part of this verification). */
  pending: number;
  verifiedAt: string;
}

export class AuditLog {
  constructor(
    private readonly deps: {
      tenantTx: TenantTx;
      /** Keys whose checkpoints verify; the signer (when this instance signs) is one of them. */
      keys: { signer?: NoteSigner; trusted: VerifierKey[] };
      sink: CheckpointSink;
      sealer?: AuditSealer;
    },
  ) {}

  get keys(): { signer?: NoteSigner; trusted: VerifierKey[] } {
    return this.deps.keys;
  }

  get sink(): CheckpointSink {
    return this.deps.sink;
  }

  /** Appends an entry in the caller's unit of work; it is chained shortly after commit. */
  record(sql: AuditSql, input: AuditRecordInput): Promise<void> {
    const sealer = this.deps.sealer;
    return recordAudit(sql, input, sealer ? (t) => sealer.poke(t) : undefined);
  }

  /**
   * Verifies the tenant's sealed chain. Long chains are checked on worker threads (threadsFor);
   * `threads` and `runSize` (a power of two) override that, for tests and benchmarks.
   */
  async verify(
    tenantId: string,
    opts: { threads?: number; runSize?: number } = {},
  ): Promise<TenantVerifyReport> {
    const { tenantTx, keys, sink } = this.deps;
    // Order matters while the sealer appends: what is read first can only be behind what follows.
    const external = await sink.read(tenantId);
    const { head, checkpoints } = await tenantTx.run(tenantId, async (sql) => ({
      head: await sealedHead(sql),
      checkpoints: await storedCheckpoints(sql),
    }));
    const verifier = new ChainVerifier({
      tenantId,
      trusted: keys.trusted,
      checkpoints,
      external: { source: sink.description, ...external },
      claimedHead: { seq: head.seq, hash: head.hash },
    });
    const runs = storedRuns(tenantTx, tenantId, opts.runSize ?? RUN_SIZE);
    await verifyRuns(verifier, runs, opts.threads ?? threadsFor(head.seq));
    return { ...verifier.finish(), pending: head.pending, verifiedAt: new Date().toISOString() };
  }

  /** Writes the tenant's export (NDJSON lines, without newlines) through `write`. */
  async export(
    tenantId: string,
    write: (line: string) => void | Promise<void>,
  ): Promise<{ entries: number }> {
    const { tenantTx, keys } = this.deps;
    const checkpoints = await tenantTx.run(tenantId, (sql) =>
      sql.query<{ size: string; note: string }>(
        'select size, note from erp.audit_checkpoints where tenant_id = $1 order by size',
        [tenantId],
      ),
    );
    await write(
      headerLine({
        tenantId,
        exportedAt: new Date().toISOString(),
        publicKeys: keys.trusted.map((k) => k.vkey),
      }),
    );
    for (const cp of checkpoints) await write(checkpointLine(Number(cp.size), cp.note));
    let entries = 0;
    for await (const e of streamEntries(tenantTx, tenantId)) {
      await write(entryLine(e));
      entries += 1;
    }
    return { entries };
  }
}
