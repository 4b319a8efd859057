// The chain verifier: re-hashes every entry, checks every link and position, rebuilds the Merkle
// tree as it streams and compares it with every checkpoint (stored with the chain or kept outside),
// after checking the checkpoints' signatures. It needs no database: the database mode, the export
// mode and the admin endpoint all feed it entries in seq order. It names the first bad seq.
import { parseCheckpoint } from './checkpoint.js';
import type { AuditEntry } from './entry.js';
import { b64, entryHash, GENESIS_HASH } from './hashing.js';
import { leafHash, MerkleFrontier } from './merkle.js';
import { NoteFormatError, type VerifierKey, verifiedSigners } from './note.js';
import type { HashBundle } from './sink.js';

export interface VerifyProblem {
  code: string;
  message: string;
  /** The first entry this problem makes untrustworthy. */
  seq?: number;
  checkpointSize?: number;
}

export interface VerifyReport {
  tenantId: string;
  valid: boolean;
  entries: number;
  headHash: string | null;
  root: string;
  firstBadSeq: number | null;
  checkpoints: { stored: number; matching: number };
  external: { source: string; checkpoints: number; latestSize: number; matches: boolean } | null;
  problems: VerifyProblem[];
  warnings: string[];
}

export interface VerifyOptions {
  tenantId: string;
  trusted: readonly VerifierKey[];
  /** Signed checkpoints kept with the chain (database table or export file). */
  checkpoints: readonly string[];
  /** Evidence kept outside the database: checkpoint notes and the entry hashes they cover. */
  external?: { source: string; notes: readonly string[]; bundles?: readonly HashBundle[] };
  /** The head the store claims to have sealed (erp.audit_heads). */
  claimedHead?: { seq: number; hash: Buffer } | null;
}

export type SealedEntry = Omit<AuditEntry, 'prevHash' | 'hash'> & {
  prevHash: Buffer;
  hash: Buffer;
  /** The stored canonical text of `change`, when read from the database (hashed as it is). */
  changeText?: string | null;
};

interface Wanted {
  origin: 'stored' | 'external';
  root: Buffer;
  head: Buffer;
}

const MAX_PROBLEMS = 200;

export class ChainVerifier {
  private readonly problems: VerifyProblem[] = [];
  private readonly warnings: string[] = [];
  private problemCount = 0;
  private readonly wanted = new Map<number, Wanted[]>();
  private readonly frontier = new MerkleFrontier();
  private matching = 0;
  private lastMatched = 0;
  private externalHashes: Buffer[] = [];
  private externalLatest = 0;
  private externalCount = 0;
  private storedCount = 0;
  private prev: Buffer = GENESIS_HASH;
  private count = 0;
  private rewriteReported = false;

  constructor(private readonly opts: VerifyOptions) {
    for (const note of opts.checkpoints) this.addCheckpoint(note, 'stored');
    for (const note of opts.external?.notes ?? []) this.addCheckpoint(note, 'external');
    if (opts.external?.bundles) this.authenticateBundles(opts.external.bundles);
  }

  private problem(p: VerifyProblem): void {
    this.problemCount += 1;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  private addCheckpoint(note: string, origin: Wanted['origin']): void {
    const where =
      origin === 'stored' ? 'stored checkpoint' : `external checkpoint (${this.opts.external?.source})`;
    let cp: ReturnType<typeof parseCheckpoint>;
    try {
      cp = parseCheckpoint(note);
    } catch (err) {
      if (!(err instanceof NoteFormatError)) throw err;
      this.problem({ code: 'CHECKPOINT_MALFORMED', message: `${where}: ${err.message}` });
      return;
    }
    if (cp.tenantId !== this.opts.tenantId) {
      this.problem({
        code: 'CHECKPOINT_TENANT',
        checkpointSize: cp.size,
        message: `${where} at size ${cp.size} belongs to tenant ${cp.tenantId}`,
      });
      return;
    }
    if (verifiedSigners(cp.note, this.opts.trusted).length === 0) {
      this.problem({
        code: 'CHECKPOINT_SIGNATURE',
        checkpointSize: cp.size,
        message: `${where} at size ${cp.size} has no valid signature by a trusted key`,
      });
      return;
    }
    if (origin === 'stored') this.storedCount += 1;
    else {
      this.externalCount += 1;
      this.externalLatest = Math.max(this.externalLatest, cp.size);
    }
    const list = this.wanted.get(cp.size) ?? [];
    list.push({ origin, root: cp.root, head: cp.head });
    this.wanted.set(cp.size, list);
  }

  /** Keeps the external entry hashes only as far as signed external checkpoints vouch for them. */
  private authenticateBundles(bundles: readonly HashBundle[]): void {
    const hashes: Buffer[] = [];
    for (const b of [...bundles].sort((x, y) => x.fromSeq - y.fromSeq)) {
      if (b.fromSeq !== hashes.length + 1) break;
      hashes.push(...b.hashes);
    }
    const frontier = new MerkleFrontier();
    let vouched = 0;
    for (const [i, h] of hashes.entries()) {
      frontier.append(leafHash(h));
      const external = this.wanted.get(i + 1)?.filter((w) => w.origin === 'external') ?? [];
      if (external.length === 0) continue;
      if (!external.every((w) => w.root.equals(frontier.root()))) {
        this.warnings.push(`external entry hashes do not match the external checkpoint at size ${i + 1}`);
        break;
      }
      vouched = i + 1;
    }
    this.externalHashes = hashes.slice(0, vouched);
  }

  push(e: SealedEntry): void {
    const expected = this.count + 1;
    if (e.seq !== expected) {
      if (e.seq > expected) {
        const range =
          e.seq - 1 === expected ? `entry ${expected} is` : `entries ${expected}..${e.seq - 1} are`;
        this.problem({ code: 'ENTRY_MISSING', seq: expected, message: `${range} missing` });
      } else {
        this.problem({
          code: 'ENTRY_OUT_OF_ORDER',
          seq: e.seq,
          message: `entry ${e.seq} appears after entry ${this.count}`,
        });
      }
    }
    if (e.tenantId !== this.opts.tenantId)
      this.problem({
        code: 'ENTRY_TENANT',
        seq: e.seq,
        message: `entry ${e.seq} names tenant ${e.tenantId}`,
      });
    if (!e.prevHash.equals(this.prev)) {
      this.problem({
        code: 'ENTRY_LINK',
        seq: e.seq,
        message: `entry ${e.seq}: prev_hash is not the hash of the entry before it`,
      });
    }
    let computed: Buffer | null = null;
    try {
      computed = entryHash(e.prevHash, e, e.changeText);
    } catch {
      /* not encodable: reported below as a hash mismatch */
    }
    if (!computed?.equals(e.hash)) {
      this.problem({
        code: 'ENTRY_HASH',
        seq: e.seq,
        message: `entry ${e.seq}: its content does not hash to its stored hash`,
      });
    }
    this.prev = e.hash;
    this.count += 1;
    const kept = this.externalHashes[this.count - 1];
    if (kept && !this.rewriteReported && !kept.equals(e.hash)) {
      this.rewriteReported = true;
      this.problem({
        code: 'ENTRY_REWRITTEN',
        seq: this.count,
        message: `entry ${this.count} differs from the hash kept in ${this.opts.external?.source}`,
      });
    }
    this.frontier.append(leafHash(e.hash));
    const wanted = this.wanted.get(this.count);
    if (wanted) {
      const root = this.frontier.root();
      const lastGood = this.lastMatched;
      let allMatch = true;
      for (const w of wanted) {
        if (w.root.equals(root) && w.head.equals(e.hash)) this.matching += 1;
        else {
          allMatch = false;
          this.problem({
            code: w.origin === 'external' ? 'EXTERNAL_CHECKPOINT_MISMATCH' : 'CHECKPOINT_MISMATCH',
            checkpointSize: this.count,
            seq: lastGood + 1,
            message: `the ${w.origin} checkpoint at size ${this.count} does not match the chain: an entry in ${lastGood + 1}..${this.count} was changed`,
          });
        }
      }
      if (allMatch) this.lastMatched = this.count;
    }
  }

  finish(): VerifyReport {
    const n = this.count;
    for (const [size, list] of this.wanted) {
      if (size <= n) continue;
      for (const w of list) {
        this.problem({
          code: w.origin === 'external' ? 'EXTERNAL_CHECKPOINT_BEYOND_CHAIN' : 'CHECKPOINT_BEYOND_CHAIN',
          checkpointSize: size,
          seq: n + 1,
          message: `the ${w.origin} checkpoint covers ${size} entries but the chain ends at ${n}: entries from ${n + 1} were removed`,
        });
      }
    }
    const head = this.opts.claimedHead;
    if (head && head.seq > n) {
      this.problem({
        code: 'HEAD_BEYOND_CHAIN',
        seq: n + 1,
        message: `the chain head records entry ${head.seq} but the chain ends at ${n}`,
      });
    } else if (head && head.seq === n && n > 0 && !head.hash.equals(this.prev)) {
      this.problem({
        code: 'HEAD_MISMATCH',
        seq: n,
        message: `the chain head's hash differs from entry ${n}`,
      });
    }
    if (this.opts.external && this.externalCount === 0 && this.storedCount > 0)
      this.warnings.push(`no checkpoint found in ${this.opts.external.source}`);
    // A checkpoint mismatch only bounds where the change is; an exact finding inside that range names it.
    const exact = this.problems.filter((p) => p.seq !== undefined && !p.code.endsWith('CHECKPOINT_MISMATCH'));
    for (const p of this.problems) {
      if (!p.code.endsWith('CHECKPOINT_MISMATCH') || p.seq === undefined) continue;
      const inside = exact.filter((x) => x.seq! >= p.seq! && x.seq! <= p.checkpointSize!).map((x) => x.seq!);
      if (inside.length) p.seq = Math.min(...inside);
    }
    const seqs = this.problems.map((p) => p.seq).filter((s): s is number => s !== undefined);
    if (this.problemCount > this.problems.length)
      this.warnings.push(`${this.problemCount - this.problems.length} further problems not listed`);
    return {
      tenantId: this.opts.tenantId,
      valid: this.problemCount === 0,
      entries: n,
      headHash: n > 0 ? b64(this.prev) : null,
      root: b64(this.frontier.root()),
      firstBadSeq: seqs.length ? Math.min(...seqs) : null,
      checkpoints: { stored: this.storedCount, matching: this.matching },
      external: this.opts.external
        ? {
            source: this.opts.external.source,
            checkpoints: this.externalCount,
            latestSize: this.externalLatest,
            matches: this.externalCount > 0 && !this.problems.some((p) => p.code.startsWith('EXTERNAL_')),
          }
        : null,
      problems: this.problems,
      warnings: this.warnings,
    };
  }
}
