// Drives the real npm CLI in throwaway folders outside the repository, with its own HOME, user
// config and cache, and none of the npm_* variables a surrounding `pnpm run` sets.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanNpmEnv, registryConfigKey } from '../../src/index.js';

export interface NpmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A home for one npm user: HOME, user config and cache under one temp folder. */
export interface NpmUser {
  home: string;
  userconfig: string;
}

export async function newNpmUser(): Promise<NpmUser> {
  const home = await mkdtemp(join(tmpdir(), 'erp-npm-home-'));
  const userconfig = join(home, '.npmrc');
  await writeFile(userconfig, 'fund=false\nupdate-notifier=false\naudit=false\n');
  return { home, userconfig };
}

const offlineTuf = join(dirname(fileURLToPath(import.meta.url)), 'offline-tuf.cjs');

function env(user: NpmUser): NodeJS.ProcessEnv {
  return cleanNpmEnv({
    HOME: user.home,
    npm_config_userconfig: user.userconfig,
    npm_config_cache: join(user.home, 'cache'),
    // See offline-tuf.cjs: sigstore's TUF CDN is out of reach here.
    NODE_OPTIONS: `--require ${offlineTuf}`,
  });
}

export function npm(user: NpmUser, args: string[], cwd: string): Promise<NpmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env: env(user), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * `npm adduser` exactly as a person types it: npm only prompts on a terminal, so it runs under
 * `script` (a pseudo-terminal) and each answer is written when its prompt appears.
 */
export function npmAddUser(
  user: NpmUser,
  registry: string,
  name: string,
  password: string,
  cwd: string,
  verb: 'adduser' | 'login' = 'adduser',
): Promise<NpmResult> {
  const command = `npm ${verb} --auth-type=legacy --registry ${registry}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: env(user),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    const answered = new Set<string>();
    const answers: Array<[RegExp, string]> = [
      [/Username:/, name],
      [/Password:/, password],
      [/Email/, `${name}@example.com`],
    ];
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      for (const [prompt, answer] of answers) {
        if (!answered.has(prompt.source) && prompt.test(stdout)) {
          answered.add(prompt.source);
          child.stdin.write(`${answer}\r`);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code: code ?? 1, stdout, stderr: '' });
    });
  });
}

/** A project folder outside the repository whose .npmrc points at the registry. */
export async function newProject(
  registry: string,
  packageJson: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'erp-npm-project-'));
  await writeFile(join(dir, '.npmrc'), `registry=${registry}\n`);
  await writeFile(join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

export { registryConfigKey };
