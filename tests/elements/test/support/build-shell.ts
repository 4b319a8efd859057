// vitest globalSetup: builds the web shell (ui-shell/dist, which the kernel serves at /) once
// before the browser files run, as `npm start` would (production lit). Files that drive the real
// shell run in parallel workers; each building it would empty dist/ under the other's kernel.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHELL = fileURLToPath(new URL('../../../../ui-shell', import.meta.url));
export const hasShell = existsSync(join(SHELL, 'src'));

export default function buildShell(): void {
  if (!hasShell) return;
  const built = spawnSync(join(SHELL, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: SHELL,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (built.status !== 0) throw new Error(`shell build failed: ${built.stderr}`);
}
