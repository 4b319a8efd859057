// The `erp-plugin` command as a person meets it: every command answers --help and --version, and
// a command line it does not understand names the command or flag on stderr and exits 2.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SDK_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION: string = JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8')).version;

function erpPlugin(...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(SDK_DIR, 'bin', 'erp-plugin.mjs'), ...args],
      { timeout: 60_000 }, // a guard against a hang, not a performance assertion
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        resolve({ code: err ? (typeof code === 'number' ? code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('erp-plugin --help and --version', () => {
  it('prints the overview for erp-plugin, help, --help and -h', async () => {
    for (const args of [[], ['help'], ['--help'], ['-h']]) {
      const r = await erpPlugin(...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`erp-plugin ${VERSION}`);
      expect(r.stdout).toContain('erp-plugin pack [dir]');
    }
  });

  it.each(['create', 'build', 'test', 'pack', 'publish', 'keygen', 'key'])(
    'erp-plugin %s --help and help %s',
    async (command) => {
      for (const args of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
      ]) {
        const r = await erpPlugin(...args);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain(`Usage: erp-plugin ${command}`);
      }
    },
  );

  it.each([[['--version']], [['-v']], [['create', '--version']], [['build', '-v']]])(
    'erp-plugin %j prints the version',
    async (args) => {
      const r = await erpPlugin(...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(VERSION);
    },
  );
});

describe('erp-plugin refuses what it does not understand (exit 2, naming it)', () => {
  it.each([
    [['deploy'], 'unknown command "deploy"'],
    [['--colour'], 'unknown option "--colour"'],
    [['help', 'deploy'], 'unknown command "deploy"'],
    [['keygen', 'extra'], 'keygen takes no arguments; unexpected "extra"'],
    [['key'], 'key needs a subcommand: register, list, expire or revoke'],
    [['key', 'rotate'], 'key needs a subcommand'],
    [['publish', '--sign'], "Unknown option '--sign'"],
    [['create', 'x', '--registry', 'not a url'], '--registry must be a URL'],
    [['key', 'list', '--registry', 'nowhere'], '--registry must be a URL'],
    [['build', '--watch'], "Unknown option '--watch'"],
    [['create', 'x', '--name', 'y'], "Unknown option '--name'"],
    [['pack', 'a', 'b'], 'unexpected "b"'],
    [['create'], 'create needs a folder'],
  ])('erp-plugin %j', async (args, message) => {
    const r = await erpPlugin(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});
