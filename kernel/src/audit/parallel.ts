// Verifying a long chain on several threads (issue 13): the reader cuts the chain into runs of
// RUN_SIZE entry lines, worker threads parse and check runs (checkRun: three SHA-256 per entry,
// the bulk of the work), and this thread joins the results in chain order (ChainVerifier.join).
// RUN_SIZE is a power of two so that every run starts where a whole Merkle subtree does, and the
// tree is joined from per-run frontiers. Short chains are checked on this thread: starting workers
// costs more than it saves.

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LineSource } from './entry-line.js';
import type { ExportReader } from './export.js';
import { checkLines, type RunJob, type RunReply, unsealError } from './run-job.js';
import type { ChainVerifier } from './verifier.js';

/** Entries per run: 2^14 (about 8 MB of export lines). */
export const RUN_SIZE = 1 << 14;
/** Below this many entries a chain is checked on the calling thread. */
export const PARALLEL_FROM = 4 * RUN_SIZE;

export interface LinesRun {
  source: LineSource;
  text: string | Uint8Array;
  firstLine: number;
  /** Entry lines in the run (non-blank lines). */
  count: number;
}

/** An export's entry lines as runs (after openExport read its header and checkpoints). */
export async function* exportRuns(exp: ExportReader, size = RUN_SIZE): AsyncGenerator<LinesRun> {
  for await (const r of exp.runs(size))
    yield { source: 'export', text: r.bytes, firstLine: r.firstLine, count: r.count };
}

/** Worker threads for a chain of about `entries` entries: none for short ones, else one per core. */
export function threadsFor(entries: number): number {
  return entries >= PARALLEL_FROM ? Math.min(availableParallelism(), 8) : 0;
}

/**
 * The worker's module: its compiled .js next to this one, or (running from source) its .ts
 * loaded through tsx, which a worker has to register itself: loader flags do not reach workers.
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./run-worker.js', here));
  // tsx's ESM API (its exports map puts the .mjs beside the .cjs that require resolves to).
  const api = createRequire(fileURLToPath(here))
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const source = new URL('./run-worker.ts', here).href;
  const boot = `import(${JSON.stringify(pathToFileURL(api).href)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true });
}

/**
 * Feeds every run to `verifier` in order, checking them on `threads` worker threads (0: on this
 * thread). Runs must hold RUN_SIZE entries each, except the last. A run that cannot be parsed
 * throws its ExportFormatError once every run before it has been joined.
 */
export async function verifyRuns(
  verifier: ChainVerifier,
  runs: AsyncIterable<LinesRun>,
  threads: number,
): Promise<void> {
  let start = verifier.size;
  if (threads <= 0) {
    for await (const run of runs) {
      verifier.join(checkLines({ ...run, context: verifier.runContext(start, run.count) }));
      start += run.count;
    }
    return;
  }
  const workers = Array.from({ length: threads }, spawnWorker);
  const waiting = new Map<number, { resolve: (r: RunReply) => void; reject: (e: Error) => void }>();
  for (const w of workers) {
    w.on('message', (reply: RunReply) => {
      waiting.get(reply.id)?.resolve(reply);
      waiting.delete(reply.id);
    });
    const fail = (err: Error) => {
      for (const p of waiting.values()) p.reject(err);
      waiting.clear();
    };
    w.on('error', fail);
    // A worker gone without an error (killed) must not leave its runs waiting forever.
    w.on('exit', (code) => fail(new Error(`audit verification worker exited (code ${code})`)));
  }
  // Replies are joined in run order; at most two runs per thread are in flight (bounded memory).
  const inFlight: Array<Promise<RunReply>> = [];
  const joinNext = async () => {
    const reply = await inFlight.shift()!;
    if ('error' in reply) throw unsealError(reply.error);
    verifier.join(reply.result);
  };
  try {
    let id = 0;
    for await (const run of runs) {
      const job: RunJob = {
        id: id++,
        source: run.source,
        text: typeof run.text === 'string' ? run.text : new Uint8Array(run.text),
        firstLine: run.firstLine,
        context: verifier.runContext(start, run.count),
      };
      start += run.count;
      const worker = workers[job.id % threads]!;
      inFlight.push(
        new Promise<RunReply>((resolve, reject) => {
          waiting.set(job.id, { resolve, reject });
          const transfer =
            typeof job.text === 'string' ? [] : [(job.text as Uint8Array).buffer as ArrayBuffer];
          worker.postMessage(job, transfer);
        }),
      );
      // Failures surface through joinNext in order; keep a later one from going unhandled meanwhile.
      inFlight.at(-1)!.catch(() => undefined);
      while (inFlight.length >= threads * 2) await joinNext();
    }
    while (inFlight.length) await joinNext();
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
