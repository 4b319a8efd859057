#!/usr/bin/env node
// The whole test suite, as `npm test` / `pnpm test` runs it:
//   1. lint and type-check every package;
//   2. every package's tests on the embedded default (real PostgreSQL binaries, in-process bus);
//   3. the same tests again on the PostgreSQL server at DATABASE_URL, when it is set;
//   4. suites that need NATS run when NATS_URL is set and are reported skipped otherwise.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = (process.env.ERP_PNPM ?? 'pnpm').split(' ');
const results = [];

function step(name, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(pnpm[0], [...pnpm.slice(1), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

step('lint (biome)', ['exec', 'biome', 'check', '.']);
step('type-check', ['-r', '--if-present', 'run', 'typecheck']);
const serverUrl = process.env.DATABASE_URL;
step('tests on the embedded default', ['-r', '--if-present', '--workspace-concurrency=1', 'run', 'test'], {
  DATABASE_URL: '',
});
if (serverUrl) {
  step(`tests on the PostgreSQL server (${serverUrl.replace(/:[^:@/]*@/, ':***@')})`, [
    '-r',
    '--if-present',
    '--workspace-concurrency=1',
    'run',
    'test',
  ]);
} else {
  console.log('\n=== tests on a PostgreSQL server: skipped (DATABASE_URL is not set)');
  results.push({ name: 'tests on a PostgreSQL server', ok: true, skipped: 'DATABASE_URL not set' });
}

console.log('\n=== summary');
for (const r of results)
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}${r.skipped ? ` (skipped: ${r.skipped})` : ` (${r.seconds}s)`}`,
  );
process.exit(results.every((r) => r.ok) ? 0 : 1);
