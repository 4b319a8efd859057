// The chain verifier: re-hashes every entry, checks every link and position, rebuilds the Merkle
// tree as it streams and compares it with every checkpoint (stored with the chain or kept outside),
// after checking the checkpoints' signatures. It needs no database: the database mode, the export
// mode and the admin endpoint all feed it entries in seq order, one at a time (push) or as runs
// checked apart, possibly on other threads (join). It names the first bad seq.

import {
  checkRun,
  linkProblem,
  RANK,
  type RankedProblem,
  type RunContext,
  type RunResult,
  type VerifyProblem,
} from './check-run.js';
import { parseCheckpoint } from './checkpoint.js';
import type { SealedEntry } from './entry.js';
import { b64, GENESIS_HASH } from './hashing.js';
import { leafHash, MerkleFrontier } from './merkle.js';
import { NoteFormatError, type VerifierKey, verifiedSigners } from './note.js';
import type { HashBundle } from './sink.js';

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

interface Wanted {
  origin: 'stored' | 'external';
  root: Buffer;
  head: Buffer;
}

const MAX_PROBLEMS = 200;

/** Hashes come back from worker threads as plain Uint8Arrays. */
const asBuffer = (u: Uint8Array): Buffer =>
  Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export type { VerifyProblem } from './check-run.js';
export type { SealedEntry } from './entry.js';

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

  /** Entries checked so far. */
  get size(): number {
    return this.count;
  }

  /** The context a run starting after `start` entries is checked in (see checkRun). */
  runContext(start: number, length: number): RunContext {
    const marks: number[] = [];
    for (const size of this.wanted.keys())
      if (size > start && size <= start + length) marks.push(size - start);
    return {
      tenantId: this.opts.tenantId,
      start,
      marks,
      // Packed: one copy crosses to a worker thread (a pooled Buffer would take its whole pool).
      kept: new Uint8Array(Buffer.concat(this.externalHashes.slice(start, start + length))),
    };
  }

  /** Checks one entry (the next in the chain). */
  push(e: SealedEntry): void {
    this.join(checkRun([e], this.runContext(this.count, 1)));
  }

  /**
   * Joins the result of the next run of the chain, checked in the context runContext(count, n)
   * gave: the link into the run, its checkpoints and its part of the tree. Runs after the first
   * must start where a whole subtree does (their size is a power of two, or they come last).
   */
  join(run: RunResult): void {
    if (run.count === 0) return;
    const start = this.count;
    const found: RankedProblem[] = [];
    if (Buffer.compare(run.firstPrevHash!, this.prev) !== 0) found.push(linkProblem(0, run.firstSeq));
    if (run.rewriteAt !== null && !this.rewriteReported) {
      this.rewriteReported = true;
      const seq = start + run.rewriteAt + 1;
      found.push({
        at: run.rewriteAt,
        rank: RANK.rewrite,
        code: 'ENTRY_REWRITTEN',
        seq,
        message: `entry ${seq} differs from the hash kept in ${this.opts.external?.source}`,
      });
    }
    for (const mark of run.marks) {
      const size = start + mark.size;
      const root = this.frontier.rootWith(mark.nodes.map(asBuffer));
      const head = asBuffer(mark.head);
      const lastGood = this.lastMatched;
      let allMatch = true;
      for (const w of this.wanted.get(size) ?? []) {
        if (w.root.equals(root) && w.head.equals(head)) this.matching += 1;
        else {
          allMatch = false;
          found.push({
            at: mark.size - 1,
            rank: RANK.checkpoint,
            code: w.origin === 'external' ? 'EXTERNAL_CHECKPOINT_MISMATCH' : 'CHECKPOINT_MISMATCH',
            checkpointSize: size,
            seq: lastGood + 1,
            message: `the ${w.origin} checkpoint at size ${size} does not match the chain: an entry in ${lastGood + 1}..${size} was changed`,
          });
        }
      }
      if (allMatch) this.lastMatched = size;
    }
    // The run's own findings and those found joining it, in the order one entry at a time gives.
    const unlisted = run.problemCount - run.problems.length;
    const ordered = [...run.problems, ...found].sort((a, b) => a.at - b.at || a.rank - b.rank);
    for (const { at: _, rank: __, ...p } of ordered) this.problem(p);
    this.problemCount += unlisted;
    this.frontier.appendFrontier(run.nodes.map(asBuffer), run.count);
    this.prev = asBuffer(run.lastHash!);
    this.count += run.count;
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
