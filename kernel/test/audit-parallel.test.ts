// The parallel verifier (issue 13) against the reference: an export, tampered in every way the
// verifier knows, is checked in runs (of 1, 4 and 8 entries, on this thread and on worker
// threads) and must give exactly the report of the verifier fed one entry at a time — the same
// findings, seqs, messages and order — or the same format error naming the same line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointLine, entryLine, headerLine } from '../src/audit/export.js';
import {
  ChainVerifier,
  ExportFormatError,
  entryHash,
  openExport,
  type SealedEntry,
} from '../src/audit/index.js';
import { exportRuns, verifyRuns } from '../src/audit/parallel.js';
import { chain, checkpointOf, signer, TENANT } from './support/audit-memory.js';

const dir = mkdtempSync(join(tmpdir(), 'erp-audit-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 37;
const original = chain(N);
const stored = [5, 8, 16, 20, 33, 37].map((size) => checkpointOf(original, size));
const external = { source: 'kept elsewhere', notes: [checkpointOf(original, 37)] };
const bundles = [
  { fromSeq: 1, hashes: original.slice(0, 20).map((e) => e.hash) },
  { fromSeq: 21, hashes: original.slice(20).map((e) => e.hash) },
];

let files = 0;
function writeExport(entries: SealedEntry[], lines?: (text: string[]) => string[]): string {
  let text = [
    headerLine({ tenantId: TENANT, exportedAt: '2025-01-01T00:00:00.000Z', publicKeys: [] }),
    ...stored.map((note, i) => checkpointLine([5, 8, 16, 20, 33, 37][i]!, note)),
    ...entries.map((e) => entryLine(e)),
  ];
  if (lines) text = lines(text);
  const file = join(dir, `export-${files++}.ndjson`);
  writeFileSync(file, `${text.join('\n')}\n`);
  return file;
}

const options = (checkpoints: string[]) => ({
  tenantId: TENANT,
  trusted: [signer],
  checkpoints,
  external: { ...external, bundles },
});

async function oneByOne(file: string) {
  const exp = await openExport(file);
  const v = new ChainVerifier(options(exp.checkpoints));
  for await (const e of exp.entries()) v.push(e);
  return v.finish();
}

async function inRuns(file: string, size: number, threads: number) {
  const exp = await openExport(file);
  const v = new ChainVerifier(options(exp.checkpoints));
  await verifyRuns(v, exportRuns(exp, size), threads);
  return v.finish();
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    (report) => ({ report }),
    (err: Error) => ({ error: `${err.name}: ${err.message}` }),
  );

/**
 * Every way of running agrees with one entry at a time. Worker threads take ~0.3 s to start
 * here, so `threads: false` keeps to this thread (the same checkRun and join; what threads add
 * is the transport, checked by the cases that keep them).
 */
async function expectSameEverywhere(file: string, { threads = true } = {}) {
  const reference = await outcome(oneByOne(file));
  const ways: Array<[size: number, threads: number]> = [
    [1, 0],
    [8, 0],
    [4, 0],
  ];
  if (threads) ways.push([4, 2], [1, 1]);
  for (const [size, n] of ways) {
    expect(await outcome(inRuns(file, size, n)), `runs of ${size} on ${n} threads`).toEqual(reference);
  }
  return reference;
}

/** Re-chains entries from index `from` with recomputed hashes (what a rewrite with full access does). */
function rechained(entries: SealedEntry[], from: number, change: (e: SealedEntry) => SealedEntry) {
  const out = entries.slice(0, from);
  for (let i = from; i < entries.length; i++) {
    const prevHash = out[i - 1]?.hash ?? entries[i]!.prevHash;
    const body = change({ ...entries[i]!, prevHash });
    out.push({ ...body, prevHash, hash: entryHash(prevHash, body) });
  }
  return out;
}

describe('parallel audit verification', () => {
  it('an untouched chain: valid, every checkpoint matched', async () => {
    const r = (await expectSameEverywhere(writeExport(original))) as { report: { valid: boolean } };
    expect(r.report).toMatchObject({ valid: true, entries: N, checkpoints: { stored: 6, matching: 7 } });
  });

  it('a change to any field of any entry, at run edges and inside runs', async () => {
    const changes: Array<(e: SealedEntry) => SealedEntry> = [
      (e) => ({ ...e, action: 'iam.user.deleted' }),
      (e) => ({ ...e, tenantId: '00000000-0000-4000-8000-000000000000' }),
      (e) => ({ ...e, seq: e.seq + 2 }),
      (e) => ({ ...e, hash: Buffer.alloc(32, 1) }),
      (e) => ({ ...e, prevHash: Buffer.alloc(32, 2) }),
      (e) => ({ ...e, change: { after: { n: -1 } } }),
    ];
    for (const at of [0, 3, 4, 7, 8, 15, 16, 19, 36]) {
      for (const [k, change] of changes.entries()) {
        const entries = [...original];
        entries[at] = change(entries[at]!);
        const { report } = (await expectSameEverywhere(writeExport(entries), {
          threads: k === at % changes.length,
        })) as { report: { valid: boolean; firstBadSeq: number } };
        expect(report.valid, `change ${k} at ${at}`).toBe(false);
        expect(report.firstBadSeq, `change ${k} at ${at}`).toBe(at + 1);
      }
    }
  });

  it('deletions, swaps, a cut tail, a duplicated entry', async () => {
    const cases: SealedEntry[][] = [
      original.filter((e) => e.seq !== 9),
      original.filter((e) => e.seq !== 8 && e.seq !== 17),
      (() => {
        const s = [...original];
        [s[3], s[12]] = [s[12]!, s[3]!];
        return s;
      })(),
      original.slice(0, 30),
      [...original.slice(0, 10), original[9]!, ...original.slice(10)],
    ];
    for (const entries of cases) {
      const { report } = (await expectSameEverywhere(writeExport(entries))) as { report: { valid: boolean } };
      expect(report.valid).toBe(false);
    }
  });

  it('a tail rewritten with every hash recomputed is caught by what was kept outside', async () => {
    const entries = rechained(original, 22, (e) => ({ ...e, action: 'iam.user.forged' }));
    const { report } = (await expectSameEverywhere(writeExport(entries))) as {
      report: { firstBadSeq: number; problems: Array<{ code: string }> };
    };
    expect(report.firstBadSeq).toBe(23);
    expect(report.problems.map((p) => p.code)).toContain('ENTRY_REWRITTEN');
  });

  it('many findings: the list stops at 200 in the same place, the count goes on', async () => {
    const many = chain(300).map((e) => ({ ...e, tenantId: '00000000-0000-4000-8000-000000000000' }));
    const { report } = (await expectSameEverywhere(writeExport(many))) as {
      report: { problems: unknown[]; warnings: string[] };
    };
    expect(report.problems).toHaveLength(200);
    expect(report.warnings.join(' ')).toMatch(/further problems not listed/);
  });

  it('blank lines and CRLF line ends read as before; a bad line is named by its number', async () => {
    const spaced = writeExport(original, (lines) =>
      lines.flatMap((l, i) => (i % 7 === 3 ? [l, '', '   '] : [`${l}\r`])),
    );
    const ok = (await expectSameEverywhere(spaced)) as { report: { valid: boolean } };
    expect(ok.report.valid).toBe(true);
    const broken = writeExport(original, (lines) => lines.map((l, i) => (i === 20 ? l.slice(0, 40) : l)));
    expect(await expectSameEverywhere(broken)).toEqual({
      error: `${ExportFormatError.name}: line 21: not a JSON object`,
    });
    const misplaced = writeExport(original, (lines) => [...lines, lines[1]!]);
    expect(await expectSameEverywhere(misplaced)).toMatchObject({
      error: expect.stringMatching(/line \d+: expected an entry/),
    });
  });
});
