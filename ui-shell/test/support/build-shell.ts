// The browser suite runs against the shell as the kernel serves it: built once per run.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // Each run's screenshots and axe findings only.
  rmSync(fileURLToPath(new URL('../../test-artifacts', import.meta.url)), { recursive: true, force: true });
  const r = spawnSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' }, // vitest sets 'test', which would select lit's dev build
  });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stderr}${r.stdout}`);
}
