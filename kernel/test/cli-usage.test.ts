// The `erp` command as a person meets it: every command and subcommand answers --help and
// --version without touching a database, and a command line it does not understand names the
// command or flag on stderr and exits 2. Runs the real bin.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const KERNEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION: string = JSON.parse(readFileSync(join(KERNEL_DIR, 'package.json'), 'utf8')).version;
// An unusable database: a command that tried to connect would fail, not print help.
const dataDir = mkdtempSync(join(tmpdir(), 'erp-test-usage-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function erp(...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(KERNEL_DIR, 'bin', 'erp.mjs'), ...args],
      {
        env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ERP_DATA_DIR: dataDir },
        timeout: 60_000, // a guard against a hang, not a performance assertion
      },
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        resolve({ code: err ? (typeof code === 'number' ? code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('erp --help and --version', () => {
  it('prints the overview for erp, erp help, --help and -h', async () => {
    for (const args of [[], ['help'], ['--help'], ['-h']]) {
      const r = await erp(...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`erp ${VERSION}`);
      expect(r.stdout).toContain('erp tenant create');
    }
  });

  it.each([
    [['start', '--help'], 'Usage: erp start'],
    [['migrate', '-h'], 'Usage: erp migrate'],
    [['tenant', '--help'], 'Usage: erp tenant <command>'],
    [['tenant', 'create', '--help'], 'Usage: erp tenant create --slug S'],
    [['tenant', 'create', '--slug', 'x', '--help'], 'Usage: erp tenant create --slug S'],
    [['audit', '--help'], 'erp audit verify --tenant T'],
    [['audit', 'export', '--help'], 'erp audit export --tenant T'],
    [['help', 'tenant', 'create'], 'Usage: erp tenant create --slug S'],
  ])('erp %j prints its help', async (args, expected) => {
    const r = await erp(...args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(expected);
  });

  it.each([[['--version']], [['-v']], [['start', '--version']], [['tenant', 'create', '--version']]])(
    'erp %j prints the version',
    async (args) => {
      const r = await erp(...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(VERSION);
    },
  );
});

describe('erp refuses what it does not understand (exit 2, naming it)', () => {
  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--frobnicate'], 'unknown option "--frobnicate"'],
    [['tenant', 'remove'], 'unknown tenant command "remove"'],
    [['tenant', 'remove', '--help'], 'unknown tenant command "remove"'],
    [['help', 'frobnicate'], 'unknown command "frobnicate"'],
    [['start', '--port', '80'], "Unknown option '--port'"],
    [['migrate', 'now'], "Unexpected argument 'now'"],
    [['tenant', 'create', '--slug', 'a', '--colour', 'red'], "Unknown option '--colour'"],
  ])('erp %j', async (args, message) => {
    const r = await erp(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});
