// One run of consecutive entries checked on its own: every check that needs only the entries
// themselves (position, tenant, links inside the run, content hash, the hash kept outside) and the
// run's part of the Merkle tree (its frontier, and the frontier at each checkpoint size inside
// it). What spans runs (the link into the run, checkpoint roots, the first rewrite) the verifier
// decides when it joins the runs in order, so a chain checked in runs on several threads gives the
// same findings, in the same order, as one checked entry by entry.

import type { SealedEntry } from './entry.js';
import { entryHash } from './hashing.js';
import { leafHash, MerkleFrontier } from './merkle.js';

export interface VerifyProblem {
  code: string;
  message: string;
  /** The first entry this problem makes untrustworthy. */
  seq?: number;
  checkpointSize?: number;
}

/** Order of the findings about one entry, as the verifier has always listed them. */
export const RANK = { position: 0, tenant: 1, link: 2, hash: 3, rewrite: 4, checkpoint: 5 } as const;

/** A finding with where it belongs in the run: `at` is the entry's index in the run. */
export interface RankedProblem extends VerifyProblem {
  at: number;
  rank: number;
}

/** Problems kept per run; the count goes on (the verifier lists 200 in all). */
export const MAX_RUN_PROBLEMS = 200;

export interface RunContext {
  tenantId: string;
  /** How many entries come before this run: entry i of the run is at position start + i + 1. */
  start: number;
  /** Sizes of the tree, counted from the run's start (1..), at which a checkpoint is to be compared. */
  marks: readonly number[];
  /** The chain hashes kept outside for this run's positions (from the run's first), 32 bytes each, if any. */
  kept: Uint8Array;
}

export interface RunMark {
  /** Entries of the run up to and including this one. */
  size: number;
  /** The stored hash of the entry at that size. */
  head: Uint8Array;
  /** The run's Merkle frontier at that size. */
  nodes: Uint8Array[];
}

export interface RunResult {
  count: number;
  firstSeq: number;
  firstPrevHash: Uint8Array | null;
  lastHash: Uint8Array | null;
  problems: RankedProblem[];
  problemCount: number;
  /** Index in the run of the first entry that differs from the hash kept outside. */
  rewriteAt: number | null;
  marks: RunMark[];
  /** The run's Merkle frontier (largest subtree first). */
  nodes: Uint8Array[];
}

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

export function checkRun(entries: readonly SealedEntry[], ctx: RunContext): RunResult {
  const problems: RankedProblem[] = [];
  let problemCount = 0;
  const problem = (p: RankedProblem) => {
    problemCount += 1;
    if (problems.length < MAX_RUN_PROBLEMS) problems.push(p);
  };
  const marks = new Set(ctx.marks);
  const frontier = new MerkleFrontier();
  const result: RunResult = {
    count: entries.length,
    firstSeq: entries[0]?.seq ?? 0,
    firstPrevHash: entries[0]?.prevHash ?? null,
    lastHash: entries.at(-1)?.hash ?? null,
    problems,
    problemCount: 0,
    rewriteAt: null,
    marks: [],
    nodes: [],
  };
  for (let at = 0; at < entries.length; at++) {
    const e = entries[at]!;
    const before = ctx.start + at;
    const expected = before + 1;
    if (e.seq !== expected) {
      if (e.seq > expected) {
        const range =
          e.seq - 1 === expected ? `entry ${expected} is` : `entries ${expected}..${e.seq - 1} are`;
        problem({
          at,
          rank: RANK.position,
          code: 'ENTRY_MISSING',
          seq: expected,
          message: `${range} missing`,
        });
      } else {
        problem({
          at,
          rank: RANK.position,
          code: 'ENTRY_OUT_OF_ORDER',
          seq: e.seq,
          message: `entry ${e.seq} appears after entry ${before}`,
        });
      }
    }
    if (e.tenantId !== ctx.tenantId)
      problem({
        at,
        rank: RANK.tenant,
        code: 'ENTRY_TENANT',
        seq: e.seq,
        message: `entry ${e.seq} names tenant ${e.tenantId}`,
      });
    if (at > 0 && !equal(e.prevHash, entries[at - 1]!.hash)) problem(linkProblem(at, e.seq));
    let computed: Buffer | null = null;
    try {
      computed = entryHash(e.prevHash, e, e.changeText);
    } catch {
      /* not encodable: reported below as a hash mismatch */
    }
    if (!computed?.equals(e.hash)) {
      problem({
        at,
        rank: RANK.hash,
        code: 'ENTRY_HASH',
        seq: e.seq,
        message: `entry ${e.seq}: its content does not hash to its stored hash`,
      });
    }
    if (result.rewriteAt === null && (at + 1) * 32 <= ctx.kept.length) {
      if (!equal(ctx.kept.subarray(at * 32, at * 32 + 32), e.hash)) result.rewriteAt = at;
    }
    frontier.append(leafHash(e.hash));
    if (marks.has(at + 1)) result.marks.push({ size: at + 1, head: e.hash, nodes: frontier.state });
  }
  result.problemCount = problemCount;
  result.nodes = frontier.state;
  return result;
}

/** prev_hash of the entry at `at` is not the hash of the entry before it. */
export const linkProblem = (at: number, seq: number): RankedProblem => ({
  at,
  rank: RANK.link,
  code: 'ENTRY_LINK',
  seq,
  message: `entry ${seq}: prev_hash is not the hash of the entry before it`,
});
