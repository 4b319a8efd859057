// The pnpm the repository pins (package.json "packageManager"): the one test-all.mjs hands down in
// ERP_PNPM, else pnpm on the PATH when it is that version, else fetched once through npx.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function pnpmCommand(repoDir: string): string[] {
  if (process.env.ERP_PNPM) return process.env.ERP_PNPM.split(' ');
  const pinned: string = JSON.parse(readFileSync(`${repoDir}/package.json`, 'utf8')).packageManager;
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pinned.split('@')[1]) return ['pnpm'];
  return ['npx', '-y', pinned];
}
