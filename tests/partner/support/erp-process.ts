// `erp start` as an operator runs it, in a child process: embedded PostgreSQL and the embedded
// marketplace registry in a data folder of its own, kept running for the whole test.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KERNEL_DIR = join(REPO_DIR, 'kernel');

/** A plain shell's environment: none of the npm_* settings or NODE_PATH of the pnpm that runs vitest. */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_)/i.test(key) && key !== 'NODE_PATH' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return { ...env, ...extra };
}

export interface ErpProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first printed line that matches; rejects if the process exits first. */
  line(pattern: RegExp): Promise<string>;
  /** Another `erp` command against the same data folder (e.g. `tenant create`). */
  command(args: string[]): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<number | null>;
}

export function startErp(dataDir: string): ErpProcess {
  // The embedded database in every pass: this suite is about the partner's path, not the database.
  const env = plainEnv({ DATABASE_URL: '', ERP_DATA_DIR: dataDir, PORT: '0', REGISTRY_URL: '' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
    cwd: KERNEL_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return {
    child,
    output: () => out,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = out.split('\n').find((l) => pattern.test(l));
          if (!found) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
        child.once('exit', (code) => reject(new Error(`erp start exited with ${code}:\n${out}`)));
      }),
    command: (args) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        cwd: KERNEL_DIR,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      return exited;
    },
  };
}
