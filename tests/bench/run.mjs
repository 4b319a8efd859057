#!/usr/bin/env node
// Runs the benches one after another, each in a process of its own (so one bench's servers,
// caches and garbage never disturb the next): every src/*.bench.ts, or those named on the command
// line (`pnpm bench kernel-read`). Each bench prints its table and writes its JSON under results/;
// this prints a summary and exits non-zero if any bench failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, 'src');
const all = readdirSync(srcDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const asked = process.argv.slice(2).map((a) => a.replace(/^src\//, '').replace(/\.bench\.ts$/, ''));
const unknown = asked.filter((a) => !all.includes(a));
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(', ')} (have: ${all.join(', ') || 'none'})`);
  process.exit(2);
}
const names = asked.length ? asked : all;

const summary = [];
for (const name of names) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--no-node-snapshot', '--import', 'tsx', join(srcDir, `${name}.bench.ts`)],
    {
      cwd: here,
      stdio: 'inherit',
    },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  const latest = join(here, 'results', `${name}.latest.json`);
  let line = '';
  if (existsSync(latest)) {
    const report = JSON.parse(readFileSync(latest, 'utf8'));
    if (Date.parse(report.finishedAt) >= started) line = report.summary;
  }
  summary.push({ name, status: r.status === 0 ? 'ok' : `FAILED (${r.status ?? r.signal})`, seconds, line });
}

console.log('\n=== summary ===');
for (const s of summary)
  console.log(`${s.name.padEnd(24)} ${s.status.padEnd(12)} ${String(s.seconds).padStart(4)}s  ${s.line}`);
process.exit(summary.every((s) => s.status === 'ok') ? 0 : 1);
