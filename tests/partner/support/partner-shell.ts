// The partner's machine: a HOME of its own (so its own ~/.npmrc, where `npm login` saves the
// token, and its own ~/.config/erp for the publisher key), the ordinary npm CLI, and a terminal
// for the one command that prompts (npm login, run by erp-plugin publish). Every command the
// partner types goes through `type`, which counts and times it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { plainEnv, REPO_DIR } from './erp-process.js';

export interface Typed {
  command: string;
  cwd: string;
  status: number;
  output: string;
  ms: number;
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

export class PartnerShell {
  readonly typed: Typed[] = [];
  readonly env: NodeJS.ProcessEnv;

  constructor(readonly home: string) {
    mkdirSync(home, { recursive: true });
    // The kernel the test kit brings pulls in @erp/sandbox, whose isolated-vm is compiled on
    // install; node-gyp fetches Node's headers from nodejs.org unless npm is told where they are.
    // This machine cannot reach nodejs.org and its own ~/.npmrc says `nodedir=/usr`: the partner's
    // npm gets the same setting (a partner online needs only a C++ toolchain).
    if (existsSync('/usr/include/node/node.h')) writeFileSync(join(home, '.npmrc'), 'nodedir=/usr\n');
    this.env = plainEnv({
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      // The machine's npm cache (a partner who has used npm before): the path is measured, not the
      // download of typescript and vitest. Our registry's packages are new to it either way.
      npm_config_cache: join(homedir(), '.npm'),
    });
  }

  /**
   * Runs one command as the partner types it. With `answers`, it runs on a pseudo-terminal
   * (`script`) and each answer is typed when its prompt appears, as a person would.
   */
  type(command: string[], cwd: string, answers: Array<[RegExp, string]> = []): Promise<Typed> {
    const started = Date.now();
    const line = command.map(quote).join(' ');
    const child =
      answers.length > 0
        ? spawn('script', ['-qec', line, '/dev/null'], {
            cwd,
            env: this.env,
            stdio: ['pipe', 'pipe', 'pipe'],
          })
        : spawn(command[0]!, command.slice(1), { cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const answered = new Set<RegExp>();
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      for (const [prompt, answer] of answers) {
        if (!answered.has(prompt) && prompt.test(output)) {
          answered.add(prompt);
          child.stdin!.write(`${answer}\r`);
        }
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        child.stdin?.destroy();
        const typed = { command: line, cwd, status: code ?? 1, output, ms: Date.now() - started };
        this.typed.push(typed);
        resolve(typed);
      });
    });
  }

  /** Something the test checks that the partner does not type (npm view, npm audit signatures). */
  check(command: string[], cwd: string): Promise<{ status: number; output: string; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(command[0]!, command.slice(1), {
        cwd,
        // See marketplace/README.md: sigstore's TUF CDN is out of reach here; this preload gives
        // npm the same "no target for this registry" answer without the network.
        env: {
          ...this.env,
          NODE_OPTIONS: `--require ${join(REPO_DIR, 'marketplace', 'test', 'support', 'offline-tuf.cjs')}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        output += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ status: code ?? 1, output, stdout }));
    });
  }
}
