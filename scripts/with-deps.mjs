#!/usr/bin/env node
// Makes the root commands work on a fresh clone that has only Node and npm:
// finds (or fetches) the pinned pnpm, installs the workspace when needed, then runs the command.
// Usage: node scripts/with-deps.mjs <command> [...args]   (a leading "pnpm" is resolved here)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager; // pnpm@x.y.z

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pinned.split('@')[1]) return ['pnpm'];
  return ['npx', '-y', pinned];
}

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (r.error) {
    console.error(`error: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  return r.status ?? 1;
}

const pnpm = pnpmCommand();
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  console.error('[erp] installing dependencies (first run only)…');
  // isolated-vm and other native addons build against the local Node headers.
  const status = run(
    pnpm[0],
    [...pnpm.slice(1), 'install', ...(process.env.CI ? ['--frozen-lockfile'] : [])],
    {
      npm_config_nodedir: process.env.npm_config_nodedir ?? (existsSync('/usr/include/node') ? '/usr' : ''),
    },
  );
  if (status !== 0) process.exit(status);
}

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/with-deps.mjs <command> [...args]');
  process.exit(2);
}
const pnpmBin = pnpm[0] === 'pnpm' ? 'pnpm' : null;
const env = { PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` };
if (cmd === 'pnpm') process.exit(run(pnpm[0], [...pnpm.slice(1), ...args], env));
process.exit(run(cmd, args, { ...env, ERP_PNPM: pnpmBin ?? pnpm.join(' ') }));
