// `erp start` on a fresh clone: the shell's built files are not in git (they are a build output),
// so the start command builds them when they are missing or older than the shell's sources. vite
// takes a couple of seconds, once; later starts only compare modification times. A packaged
// kernel (no ui-shell sources beside it) serves whatever dist/ it was shipped with.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The result: 'fresh' (nothing to do), 'built', or a reason the shell could not be built. */
export function ensureShellBuilt(distDir: string): 'fresh' | 'built' | { error: string } {
  const root = dirname(distDir);
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const index = join(distDir, 'index.html');
  if (!existsSync(join(root, 'src')) || !existsSync(vite)) return 'fresh';
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newest(join(root, 'src')),
    newest(join(root, 'index.html')),
    newest(join(root, 'frame.html')), // third-party plugin frames' document (issue 19)
    newest(join(root, 'vite.config.ts')),
  );
  if (built && built >= sources) return 'fresh';
  const r = spawnSync(vite, ['build', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) return { error: (r.stderr || r.stdout || String(r.error)).trim().slice(-2000) };
  return 'built';
}
