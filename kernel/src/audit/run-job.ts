// What the verifier sends a worker thread and what comes back, shared by both sides.
import { checkRun, type RunContext, type RunResult } from './check-run.js';
import { ExportFormatError, type LineSource, parseEntryLines } from './entry-line.js';

/** A run of entry lines to parse and check. */
export interface RunJob {
  id: number;
  source: LineSource;
  /** The lines: a string (rows from the database) or UTF-8 bytes (an export). */
  text: string | Uint8Array;
  firstLine: number;
  context: RunContext;
}

export type RunReply =
  | { id: number; result: RunResult }
  | { id: number; error: { name: string; message: string } };

/** Parses a run of lines and checks it: what a worker thread does, and the calling thread without one. */
export function checkLines(job: Omit<RunJob, 'id'>): RunResult {
  const text = typeof job.text === 'string' ? job.text : Buffer.from(job.text).toString('utf8');
  return checkRun(parseEntryLines(text, job.firstLine, job.source), job.context);
}

/** Copies of the hashes: a Buffer from the shared pool would carry the whole pool across threads. */
const own = (b: Uint8Array | null) => (b ? new Uint8Array(b) : null);

export function runResultMessage(r: RunResult): RunResult {
  return {
    ...r,
    firstPrevHash: own(r.firstPrevHash),
    lastHash: own(r.lastHash),
    marks: r.marks.map((m) => ({ size: m.size, head: own(m.head)!, nodes: m.nodes.map((n) => own(n)!) })),
    nodes: r.nodes.map((n) => own(n)!),
  };
}

export const sealedError = (err: unknown) => ({
  name: (err as Error)?.name ?? 'Error',
  message: (err as Error)?.message ?? String(err),
});

/** The error a worker reported, as the verifier throws it. */
export function unsealError(e: { name: string; message: string }): Error {
  if (e.name === 'ExportFormatError') return new ExportFormatError(e.message);
  return new Error(`audit verification worker: ${e.message}`);
}
