// The sealer chains committed entries shortly after commit, so requests never wait on a per-tenant
// lock (measured in tests/bench/src/audit.bench.ts; see the Audit section of kernel/README.md).
// For one tenant at a time, under that tenant's erp.audit_heads row lock (so N replicas never fork
// a chain), it drains the pending queue in insertion order, gives each entry the next seq, its
// prev_hash and hash, extends the Merkle tree's right edge, and every N entries or T seconds signs
// a checkpoint, which is then copied to the external sink once the transaction has committed.
import type pg from 'pg';
import type { Sql, TenantTx } from '../tenancy/index.js';
import { signCheckpoint } from './checkpoint.js';
import { type EntryRow, entryFromRow } from './entry.js';
import { b64, entryHash } from './hashing.js';
import { leafHash, MerkleFrontier } from './merkle.js';
import type { NoteSigner } from './note.js';
import type { CheckpointSink } from './sink.js';

export interface SealerOptions {
  /** Sign a checkpoint once this many entries are not covered by one. */
  checkpointEntries: number;
  /** … or once the newest checkpoint is this old and entries are not covered by it. */
  checkpointSeconds: number;
  /** How often to look for work other instances (or a crash) left behind. */
  intervalMs: number;
  /** Entries per sealing transaction. */
  batchSize: number;
}

interface Logger {
  error(obj: object, msg: string): void;
}

interface HeadRow {
  seq: string;
  hash: Buffer;
  frontier: Buffer[];
  checkpoint_size: string;
  checkpoint_age: number;
  now: Date;
}

export interface SealResult {
  sealed: number;
  checkpoint: number | null;
  /** Another sealer holds the tenant's head right now. */
  busy: boolean;
}

// Tenants sealed at once (each in its own short transaction on the worker pool).
const CONCURRENCY = 4;
const BACKLOG_SLICE = 8 * CONCURRENCY;

export class AuditSealer {
  /** Tenants whose units of work committed entries here: sealed first, in the next pass. */
  private readonly dirty = new Set<string>();
  /** Tenants the sweep found (other instances' entries, checkpoints due): a bounded share per pass. */
  private readonly backlog = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private log: Logger = { error() {} };
  /** When the last pass ended (ms since the epoch), for the sealer-lag metric. */
  private lastPassAt: number | undefined;

  constructor(
    private readonly tenantTx: TenantTx,
    private readonly pool: pg.Pool,
    private readonly signer: NoteSigner,
    private readonly sink: CheckpointSink,
    readonly options: SealerOptions,
  ) {}

  start(log?: Logger): void {
    if (log) this.log = log;
    this.stopped = false;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.run(true).finally(() => {
          if (!this.stopped) tick();
        });
      }, this.options.intervalMs);
      this.timer.unref();
    };
    tick();
    void this.run(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.soon);
    await this.running;
    if (this.dirty.size) await this.run(false);
  }

  /** What /metrics shows of this sealer: tenants waiting to be sealed and the last pass's end. */
  stats(): { waitingTenants: number; lastPassAt: number | undefined; running: boolean } {
    return {
      waitingTenants: this.dirty.size + this.backlog.size,
      lastPassAt: this.lastPassAt,
      running: !this.stopped,
    };
  }

  /** A unit of work that recorded entries for the tenant has committed: seal soon. */
  poke(tenantId: string): void {
    this.dirty.add(tenantId);
    if (this.stopped) return;
    if (this.running) this.again = true;
    else if (!this.soon) {
      this.soon = setTimeout(() => {
        this.soon = undefined;
        void this.run(false);
      }, 2);
    }
  }

  /** Seals everything committed so far, in every tenant (tests, the CLI, shutdown). */
  async flush(): Promise<void> {
    await this.running;
    for (;;) {
      const tenants = await this.tenantsDue(null, null);
      if (tenants.length === 0) return;
      // Another sealer may hold some of them right now: give it a moment instead of spinning.
      if (await this.sealAll(tenants)) await new Promise((ok) => setTimeout(ok, 10));
    }
  }

  private run(sweep: boolean): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if (sweep) {
            for (const t of await this.tenantsDue(
              this.options.checkpointEntries,
              this.options.checkpointSeconds,
            ))
              this.backlog.add(t);
            sweep = false;
          }
          // A checkpoint round over thousands of tenants must not delay the tenants writing now:
          // each pass takes every dirty tenant but only a slice of the backlog.
          const tenants = new Set(this.dirty);
          this.dirty.clear();
          const limit = tenants.size + BACKLOG_SLICE;
          for (const t of this.backlog) {
            if (tenants.size >= limit) break;
            tenants.add(t);
          }
          for (const t of tenants) this.backlog.delete(t);
          await this.sealAll([...tenants]);
          this.lastPassAt = Date.now();
          if (this.backlog.size) this.again = true;
        } while (this.again && !this.stopped);
      } catch (err) {
        this.log.error({ err }, 'audit sealer pass failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async tenantsDue(entries: number | null, seconds: number | null): Promise<string[]> {
    const { rows } = await this.pool.query<{ t: string }>('select erp.audit_tenants_due($1, $2) as t', [
      entries,
      seconds,
    ]);
    return rows.map((r) => r.t);
  }

  /** Seals the tenants; true when some were held by another sealer. */
  private async sealAll(tenants: string[]): Promise<boolean> {
    const queue = [...tenants];
    let busy = false;
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        try {
          let r: SealResult;
          do r = await this.sealTenant(t);
          while (r.sealed === this.options.batchSize);
          busy ||= r.busy;
        } catch (err) {
          this.dirty.add(t); // retried on the next pass
          this.log.error({ err, tenantId: t }, 'audit sealing failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    return busy;
  }

  /** One sealing transaction for one tenant; `forceCheckpoint` signs one if anything is uncovered. */
  async sealTenant(tenantId: string, forceCheckpoint = false): Promise<SealResult> {
    let checkpoint: number | null = null;
    const result = await this.tenantTx.run(tenantId, async (sql) => {
      const head = await this.lockHead(sql);
      if (!head) return { sealed: 0, checkpoint: null, busy: true };
      const rows = await sql.query<EntryRow & { id: string }>(
        `delete from erp.audit_pending where tenant_id = $1 and id in (
           select id from erp.audit_pending where tenant_id = $1 order by id limit $2)
         returning id, tenant_id, occurred_at, actor_type, actor_id, actor_user_id, action,
                   resource_type, resource_id, request_id, client_ip, change::text as change_text`,
        [tenantId, this.options.batchSize],
      );
      rows.sort((a, b) => Number(a.id) - Number(b.id));
      let seq = Number(head.seq);
      let prev = head.hash;
      const frontier = new MerkleFrontier(head.frontier, seq);
      const sealed = rows.map((row) => {
        seq += 1;
        const entry = { ...entryFromRow({ ...row, change: null }), seq };
        const hash = entryHash(prev, entry, row.change_text ?? null);
        // `change` travels as its stored text, so the json column keeps exactly the hashed bytes.
        const out = { ...entry, change: row.change_text ?? null, prevHash: b64(prev), hash: b64(hash) };
        prev = hash;
        frontier.append(leafHash(hash));
        return out;
      });
      const covered = Number(head.checkpoint_size);
      const due =
        seq > covered &&
        (forceCheckpoint ||
          seq - covered >= this.options.checkpointEntries ||
          head.checkpoint_age >= this.options.checkpointSeconds);
      const note = due
        ? signCheckpoint(
            { tenantId, size: seq, root: frontier.root(), head: prev, time: head.now.toISOString() },
            this.signer,
          )
        : null;
      if (sealed.length || due) {
        // Entries, checkpoint and head in one statement: one round trip while the head is locked.
        await sql.query(
          `with entries as (
             insert into erp.audit_entries (tenant_id, seq, occurred_at, actor_type, actor_id, actor_user_id, action,
                                            resource_type, resource_id, request_id, client_ip, change, prev_hash, hash)
             select $1, x.seq, x."occurredAt", x.actor->>'type', x.actor->>'id', x.actor->>'userId', x.action,
                    x.resource->>'type', x.resource->>'id', x."requestId", x."clientIp", x.change::json,
                    decode(x."prevHash", 'base64'), decode(x.hash, 'base64')
               from jsonb_to_recordset($2::jsonb) as x(seq bigint, "occurredAt" timestamptz, actor jsonb, action text,
                    resource jsonb, "requestId" text, "clientIp" text, change text, "prevHash" text, hash text)
           ), checkpoint as (
             insert into erp.audit_checkpoints (tenant_id, size, root, head_hash, key_id, created_at, note)
             select $1, $3, $6, $4, $7, $8, $9 where $9::text is not null
           )
           update erp.audit_heads set seq = $3, hash = $4, frontier = $5::bytea[], updated_at = now(),
                  checkpoint_size = case when $9::text is not null then $3 else checkpoint_size end,
                  checkpoint_at = case when $9::text is not null then now() else checkpoint_at end
            where tenant_id = $1`,
          [
            tenantId,
            JSON.stringify(sealed),
            seq,
            prev,
            frontier.state,
            frontier.root(),
            this.signer.keyId,
            head.now,
            note,
          ],
        );
      }
      if (due) checkpoint = seq;
      return { sealed: sealed.length, checkpoint, busy: false };
    });
    if (checkpoint !== null) await this.syncSink(tenantId);
    return result;
  }

  private async lockHead(sql: Sql): Promise<HeadRow | undefined> {
    const cols = `seq, hash, frontier, checkpoint_size,
                  extract(epoch from now() - checkpoint_at)::float8 as checkpoint_age, now() as now`;
    const head = await sql.one<HeadRow>(
      `select ${cols} from erp.audit_heads where tenant_id = $1 for update skip locked`,
      [sql.tenantId],
    );
    if (head) return head;
    // No row yet (first entry of the tenant), or another sealer holds it: then the insert does nothing.
    return sql.one<HeadRow>(
      `insert into erp.audit_heads (tenant_id) values ($1) on conflict do nothing returning ${cols}`,
      [sql.tenantId],
    );
  }

  /** Signs a checkpoint now if entries are not yet covered by one; returns its size. */
  async checkpointNow(tenantId: string): Promise<number | null> {
    for (;;) {
      const r = await this.sealTenant(tenantId, true);
      if (!r.busy && r.sealed < this.options.batchSize) {
        if (r.checkpoint !== null) return r.checkpoint;
        const head = await this.tenantTx.run(tenantId, (sql) =>
          sql.one<{ checkpoint_size: string }>(
            'select checkpoint_size from erp.audit_heads where tenant_id = $1',
            [tenantId],
          ),
        );
        return head ? Number(head.checkpoint_size) || null : null;
      }
      if (r.busy) await new Promise((ok) => setTimeout(ok, 10));
    }
  }

  /** Copies checkpoints the sink does not have yet, each with the entry hashes it adds. */
  async syncSink(tenantId: string): Promise<void> {
    try {
      let from = await this.sink.latestSize(tenantId);
      const cps = await this.tenantTx.run(tenantId, (sql) =>
        sql.query<{ size: string; note: string }>(
          'select size, note from erp.audit_checkpoints where tenant_id = $1 and size > $2 order by size',
          [tenantId, from],
        ),
      );
      for (const cp of cps) {
        const size = Number(cp.size);
        const hashes = await this.tenantTx.run(tenantId, (sql) =>
          sql.query<{ hash: Buffer }>(
            'select hash from erp.audit_entries where tenant_id = $1 and seq > $2 and seq <= $3 order by seq',
            [tenantId, from, size],
          ),
        );
        await this.sink.put(tenantId, size, cp.note, {
          fromSeq: from + 1,
          hashes: hashes.map((h) => h.hash),
        });
        from = size;
      }
    } catch (err) {
      this.log.error(
        { err, tenantId, sink: this.sink.description },
        'audit checkpoint not written to the sink',
      );
    }
  }
}
