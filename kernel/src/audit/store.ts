// Reading a tenant's chain back out of the database: entries in seq order (keyset batches, each
// in a short transaction of its own), stored checkpoints, the sealer's head, and leaf hashes for
// proofs. Reads go through TenantTx, so row-level security applies to the verifier too.
import type { Sql, TenantTx } from '../tenancy/index.js';
import { ENTRY_COLUMNS_RAW, type EntryRow, entryFromRow } from './entry.js';
import { leafHash } from './merkle.js';
import type { SealedEntry } from './verifier.js';

const BATCH = 5000;

export async function* streamEntries(
  tenantTx: TenantTx,
  tenantId: string,
  opts: { fromSeq?: number; toSeq?: number; parseChange?: boolean } = {},
): AsyncGenerator<SealedEntry> {
  let after = (opts.fromSeq ?? 1) - 1;
  const last = opts.toSeq ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await tenantTx.run(tenantId, (sql) =>
      sql.query<EntryRow>(
        `select ${ENTRY_COLUMNS_RAW} from erp.audit_entries
          where tenant_id = $1 and seq > $2 and seq <= $3 order by seq limit $4`,
        [tenantId, after, last, BATCH],
      ),
    );
    for (const row of rows) {
      // Verifying hashes the stored text of `change`; only an export needs it parsed.
      const e = entryFromRow(opts.parseChange === false ? { ...row, change: null } : row);
      yield { ...e, changeText: row.change_text ?? null, prevHash: row.prev_hash!, hash: row.hash! };
    }
    if (rows.length < BATCH) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function storedCheckpoints(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ note: string }>(
    'select note from erp.audit_checkpoints where tenant_id = $1 order by size',
    [sql.tenantId],
  );
  return rows.map((r) => r.note);
}

export async function sealedHead(
  sql: Sql,
): Promise<{ seq: number; hash: Buffer; checkpointSize: number; pending: number }> {
  const row = await sql.one<{
    seq: string | null;
    hash: Buffer | null;
    checkpoint_size: string | null;
    pending: string;
  }>(
    `select h.seq, h.hash, h.checkpoint_size,
            (select count(*) from erp.audit_pending p where p.tenant_id = $1) as pending
       from (select 1) one left join erp.audit_heads h on h.tenant_id = $1`,
    [sql.tenantId],
  );
  return {
    seq: Number(row?.seq ?? 0),
    hash: row?.hash ?? Buffer.alloc(32),
    checkpointSize: Number(row?.checkpoint_size ?? 0),
    pending: Number(row?.pending ?? 0),
  };
}

/** Leaf hashes of entries 1..size, from their stored chain hashes (for proofs). */
export async function leafHashes(sql: Sql, size: number): Promise<Buffer[]> {
  const rows = await sql.query<{ hash: Buffer }>(
    'select hash from erp.audit_entries where tenant_id = $1 and seq <= $2 order by seq',
    [sql.tenantId, size],
  );
  return rows.map((r) => leafHash(r.hash));
}
