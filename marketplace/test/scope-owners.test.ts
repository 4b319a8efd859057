// The scope-ownership record on its own: reserved scopes, first claim wins, unscoped names.
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownershipKey, SCOPE_OWNERS_FILE, ScopeOwners } from '../src/index.js';

describe('ScopeOwners', () => {
  it('keeps reserved scopes, lets the first claim win and treats an unscoped name as its own scope', async () => {
    const storage = await mkdtemp(join(tmpdir(), 'erp-owners-'));
    const owners = new ScopeOwners(storage);
    await owners.reserve({ '@erp': 'erp' });
    expect(await owners.claim('@erp/sdk', 'mallory')).toBe('erp');
    const [first, second] = await Promise.all([
      owners.claim('@acme/a', 'alice'),
      owners.claim('@acme/b', 'bob'),
    ]);
    expect([first, second]).toEqual(['alice', 'alice']);
    expect(await owners.claim('left-pad', 'bob')).toBe('bob');
    expect(await owners.ownerOf('left-pad-2')).toBeUndefined();
    expect(ownershipKey('@acme/a')).toBe('@acme');
    // A second instance over the same folder (a restart) sees the same owners.
    expect(await new ScopeOwners(storage).ownerOf('@acme/zzz')).toBe('alice');
    expect((await stat(join(storage, SCOPE_OWNERS_FILE))).mode & 0o777).toBe(0o600);
  });
});
