// How every bench reports: a readable table on stdout and one JSON file under tests/bench/results/
// (gitignored), so runs can be compared later and the runner can print a one-line summary.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

export type Cell = string | number | null | undefined;

export interface BenchReport {
  /** The bench's name: its file name without `.bench.ts`. */
  bench: string;
  /** One line the runner prints in its summary, e.g. "ratio 0.64 (target ≥ 0.6)". */
  summary: string;
  /** What was run: connections, durations, cluster kind, … */
  params: Record<string, unknown>;
  /** The measured figures, in whatever shape the bench needs. */
  results: unknown;
  /** The rows printed on stdout (first row is the header). */
  table?: Cell[][];
  notes?: string[];
}

/** Formats rows as an aligned text table; the first row is the header. Numbers align right. */
export function formatTable(rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths: number[] = [];
  for (const r of text) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  const line = (r: string[], raw: Cell[]) =>
    r.map((c, i) => (typeof raw[i] === 'number' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const [head, ...body] = text;
  if (!head) return '';
  const out = [line(head, []), widths.map((w) => '-'.repeat(w)).join('  ')];
  body.forEach((r, i) => {
    out.push(line(r, rows[i + 1]!));
  });
  return out.join('\n');
}

/** Prints the table and writes results/<bench>-<timestamp>.json and results/<bench>.latest.json. */
export function writeReport(report: BenchReport): string {
  if (report.table) console.log(`\n${formatTable(report.table)}\n`);
  for (const n of report.notes ?? []) console.log(`note: ${n}`);
  console.log(`${report.bench}: ${report.summary}`);
  const full = {
    ...report,
    finishedAt: new Date().toISOString(),
    host: { node: process.version, platform: process.platform, cpus: cpus().length },
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = full.finishedAt.replace(/[:.]/g, '-');
  const file = join(RESULTS_DIR, `${report.bench}-${stamp}.json`);
  const json = `${JSON.stringify(full, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(join(RESULTS_DIR, `${report.bench}.latest.json`), json);
  return file;
}
