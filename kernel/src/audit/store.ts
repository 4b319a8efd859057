// Reading a tenant's chain back out of the database: entries in seq order (large pages read ahead, each
// in a short transaction of its own), stored checkpoints, the sealer's head, and leaf hashes for
// proofs. Reads go through TenantTx, so row-level security applies to the verifier too.
import type { Sql, TenantTx } from '../tenancy/index.js';
import { ENTRY_COLUMNS_RAW, type EntryRow, type SealedEntry } from './entry.js';
import { STORED_ENTRY_LINE } from './entry-line.js';
import { leafHash } from './merkle.js';
import type { LinesRun } from './parallel.js';

// Large pages: each costs a transaction of its own (BEGIN, tenant, role, query, COMMIT), so
// small ones spent more time in round trips than in hashing. 16k rows of ~600 bytes is ~10 MB.
const PAGE = 1 << 14;
/** Range pages read ahead of the one being verified. */
const AHEAD = 2;

function sealedFromRow(row: EntryRow): SealedEntry {
  // Built directly (not through entryFromRow): the base64 hashes that one makes are never used here.
  const changeText = row.change_text ?? null;
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, userId: row.actor_user_id },
    action: row.action,
    resource: { type: row.resource_type, id: row.resource_id },
    requestId: row.request_id,
    clientIp: row.client_ip,
    // Parsed for the export; the stored text is kept too (hashed as it is).
    change: changeText ? JSON.parse(changeText) : null,
    changeText,
    prevHash: row.prev_hash!,
    hash: row.hash!,
  };
}

/**
 * Rows of the chain in seq order, a page at a time. Seq is unique per tenant, so the range
 * (a, a + size] holds at most size rows: while the chain is dense the next ranges are known in
 * advance and AHEAD of them are read at once, on connections of their own, while this one is
 * verified (the database's work, the driver's decoding and the hashing overlap). A short range (a
 * gap, tampering, or the end) drops what was read ahead and finds the next rows by keyset, as a gap
 * can be any size.
 */
async function* pagesOf<R extends { seq: string | number }>(
  tenantTx: TenantTx,
  tenantId: string,
  columns: string,
  opts: { fromSeq?: number; toSeq?: number; pageSize?: number },
): AsyncGenerator<R[]> {
  const size = opts.pageSize ?? PAGE;
  const last = opts.toSeq ?? Number.MAX_SAFE_INTEGER;
  const read = (after: number, upTo: number) =>
    tenantTx.run(tenantId, (sql) =>
      sql.query<R>(
        `select ${columns} from erp.audit_entries
          where tenant_id = $1 and seq > $2 and seq <= $3 order by seq limit $4`,
        [tenantId, after, upTo, size],
      ),
    );
  let after = (opts.fromSeq ?? 1) - 1;
  for (;;) {
    // Keyset: the next size rows after `after`, wherever they are.
    const rows: R[] = await read(after, last);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = Number(rows[rows.length - 1]!.seq);
    // Ranges while they come back full.
    const ahead: Array<{ upTo: number; rows: Promise<R[]> }> = [];
    let next = after;
    const fill = () => {
      while (ahead.length < AHEAD && next < last) {
        const upTo = Math.min(next + size, last);
        const rows = read(next, upTo);
        // Dropped when a range comes back short; keep its failure from going unhandled.
        rows.catch(() => undefined);
        ahead.push({ upTo, rows });
        next = upTo;
      }
    };
    fill();
    for (;;) {
      const range = ahead.shift();
      if (!range) return;
      const rows: R[] = await range.rows;
      if (rows.length === size) fill();
      if (rows.length) yield rows;
      if (rows.length < size) {
        if (range.upTo >= last) return;
        after = range.upTo;
        break;
      }
      after = range.upTo;
    }
  }
}

/** Entries in seq order (see pagesOf). */
export async function* streamEntries(
  tenantTx: TenantTx,
  tenantId: string,
  opts: { fromSeq?: number; toSeq?: number; pageSize?: number } = {},
): AsyncGenerator<SealedEntry> {
  for await (const rows of pagesOf<EntryRow & { seq: string }>(tenantTx, tenantId, ENTRY_COLUMNS_RAW, opts))
    for (const row of rows) yield sealedFromRow(row);
}

/**
 * The whole chain as runs of `runSize` entry lines built by the database (STORED_ENTRY_LINE), the
 * last run shorter: what the parallel verifier checks. Pages are runs, except after a gap.
 */
export async function* storedRuns(
  tenantTx: TenantTx,
  tenantId: string,
  runSize: number,
): AsyncGenerator<LinesRun> {
  let lines: string[] = [];
  let position = 1;
  const cut = (n: number): LinesRun => {
    const run: LinesRun = {
      source: 'stored',
      text: lines.slice(0, n).join('\n'),
      firstLine: position,
      count: n,
    };
    lines = lines.slice(n);
    position += n;
    return run;
  };
  const columns = `seq, ${STORED_ENTRY_LINE} as line`;
  for await (const rows of pagesOf<{ seq: string; line: string }>(tenantTx, tenantId, columns, {
    pageSize: runSize,
  })) {
    for (const r of rows) lines.push(r.line);
    while (lines.length >= runSize) yield cut(runSize);
  }
  if (lines.length) yield cut(lines.length);
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
