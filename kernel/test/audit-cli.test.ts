// `erp audit`: verify a tenant in the database, export it, and verify the export with no database
// (the auditor's path), with exit codes 0 (valid), 1 (tampered, first bad seq named), 2 (bad input).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditCliError, auditCommand } from '../src/audit/index.js';
import { makeChain, rewriteTail } from './support/audit-chain.js';
import { startTestKernel, TEST_SECRET_KEY, type TestKernel } from './support/harness.js';

let k: TestKernel;
let tenantId: string;
let work: string;
let exportFile: string;
let checkpointFile: string;

interface Run {
  code: number;
  out: string;
}

function erp(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../src/cli/main.ts'), ...args],
      {
        cwd: join(import.meta.dirname, '..'),
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ERP_SECRET_KEY: TEST_SECRET_KEY, ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/** The kernel's own environment: its database and data folder (signing key, checkpoint sink). */
const withDb = () => ({ DATABASE_URL: k.databaseUrl, ERP_DATA_DIR: k.container.cradle.config.ERP_DATA_DIR });
/** No database at all: an address nothing listens on, and an empty data folder. */
const offline = () => ({
  DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
  ERP_DATA_DIR: join(work, 'empty'),
});

beforeAll(async () => {
  k = await startTestKernel({
    ERP_AUDIT_CHECKPOINT_ENTRIES: '1000000',
    ERP_AUDIT_CHECKPOINT_SECONDS: '86400',
  });
  tenantId = await makeChain(k, 10, [5, 10]);
  work = mkdtempSync(join(tmpdir(), 'erp-audit-cli-'));
  exportFile = join(work, 'export.ndjson');
  checkpointFile = join(work, 'cp.txt');
  // The auditor keeps the latest checkpoint from the external sink, apart from the export.
  copyFileSync(
    join(k.container.cradle.config.ERP_DATA_DIR, 'audit-checkpoints', tenantId, 'latest.txt'),
    checkpointFile,
  );
});
afterAll(async () => {
  await k?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The command in this process (same code, no process start-up), with the given environment. */
async function inProcess(args: string[], env: Record<string, string>): Promise<Run> {
  const saved = { ...process.env };
  Object.assign(process.env, { LOG_LEVEL: 'silent', ERP_SECRET_KEY: TEST_SECRET_KEY, ...env });
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    const code = await auditCommand(args[1], args.slice(2));
    return { code, out: lines.join('\n') };
  } catch (err) {
    if (err instanceof AuditCliError) return { code: 2, out: `${lines.join('\n')}erp: ${err.message}` };
    throw err;
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.env = saved;
  }
}

describe('erp audit', () => {
  it('exports a tenant and names an unknown tenant', async () => {
    const exported = await inProcess(
      ['audit', 'export', '--tenant', tenantId, '--out', exportFile],
      withDb(),
    );
    expect(exported.code).toBe(0);
    const lines = readFileSync(exportFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'header', format: 'erp-audit-export', tenantId });
    expect(lines.filter((l) => l.type === 'checkpoint').map((l) => l.size)).toEqual([5, 10]);
    expect(lines.filter((l) => l.type === 'entry').map((l) => l.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    const unknown = await inProcess(['audit', 'verify', '--tenant', 'no-such-tenant'], withDb());
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.out).toContain('--tenant no-such-tenant: no such tenant');
  });

  it('verifies in the database and offline, finds a changed export, and refuses bad input (the real command)', async () => {
    const keys = (await k.app.inject({ method: 'GET', url: '/api/v1/audit/keys' })).json().items;
    const lines = readFileSync(exportFile, 'utf8').trim().split('\n');
    const changed = join(work, 'changed.ndjson');
    writeFileSync(
      changed,
      `${lines.map((l) => (l.includes('"seq":6,') ? l.replace('"after":{"n":6}', '"after":{"n":600}') : l)).join('\n')}\n`,
    );
    expect(readFileSync(changed, 'utf8')).toContain('"n":600');
    const badCheckpoint = join(work, 'bad-cp.txt');
    writeFileSync(badCheckpoint, 'erp-audit/not-a-tenant\n10\n\n');
    const key = ['--key', keys[0].vkey];
    // Three processes of the real `erp` command: exit codes 0, 1 and 2 as a shell sees them.
    const [inDb, tampered, malformedCp] = await Promise.all([
      erp(['audit', 'verify', '--tenant', tenantId], withDb()),
      erp(
        ['audit', 'verify', '--file', changed, '--checkpoint', checkpointFile, ...key, '--json'],
        offline(),
      ),
      erp(['audit', 'verify', '--file', exportFile, '--checkpoint', badCheckpoint, ...key], offline()),
    ]);
    expect(inDb.code, inDb.out).toBe(0);
    expect(inDb.out).toContain('OK: chain valid up to seq 10');
    expect(tampered.code, tampered.out).toBe(1);
    expect(JSON.parse(tampered.out)).toMatchObject({ valid: false, firstBadSeq: 6, entries: 10 });
    expect(malformedCp.code).toBe(2);
    expect(malformedCp.out).toMatch(/--checkpoint .*bad-cp\.txt: malformed checkpoint: /);

    const ok = await inProcess(
      ['audit', 'verify', '--file', exportFile, '--checkpoint', checkpointFile, ...key],
      offline(),
    );
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('OK: chain valid up to seq 10');
    expect(ok.out).toContain(`external checkpoint: ${checkpointFile}: latest size 10, matches`);
    const noKey = await inProcess(
      ['audit', 'verify', '--file', exportFile, '--checkpoint', checkpointFile],
      offline(),
    );
    expect(noKey.code).toBe(2);
    expect(noKey.out).toMatch(/no trusted key: pass the signer's verifier key with --key/);
    const noCheckpoint = await inProcess(['audit', 'verify', '--file', exportFile, ...key], offline());
    expect(noCheckpoint.out).toContain('--checkpoint is required');
    const garbage = join(work, 'garbage.ndjson');
    writeFileSync(garbage, 'this is not json\n');
    const bad = await inProcess(
      ['audit', 'verify', '--file', garbage, '--checkpoint', checkpointFile, ...key],
      offline(),
    );
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.out).toMatch(/--file .*garbage\.ndjson: line 1: not a JSON object/);
  });

  it('reports tampering and names the first rewritten seq when the database was rewritten', async () => {
    await rewriteTail(k, tenantId, 7);
    const r = await inProcess(['audit', 'verify', '--tenant', tenantId], withDb());
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('TAMPERED: first bad seq 7');
    expect(r.out).toContain('[ENTRY_REWRITTEN] seq 7');
  });
});
