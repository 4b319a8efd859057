// What `erp-plugin publish` and `key` read from the partner's machine: the npm login's token for a
// registry (as npm matches it: the project's .npmrc before the user's, the longest registry path,
// quoted values, ${VAR}), and the private key file (0600 or refused).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFile, loadKeyFile } from '../src/cli/key-file.js';
import { authTokenFor } from '../src/cli/npm-config.js';

const dir = mkdtempSync(join(tmpdir(), 'erp-publisher-config-'));
const project = join(dir, 'project');
const userconfig = join(dir, 'user.npmrc');
const saved = { userconfig: process.env.npm_config_userconfig, token: process.env.ERP_TEST_TOKEN };

beforeAll(() => {
  process.env.npm_config_userconfig = userconfig;
  process.env.ERP_TEST_TOKEN = 'from-the-environment';
});

afterAll(() => {
  for (const [key, value] of [
    ['npm_config_userconfig', saved.userconfig],
    ['ERP_TEST_TOKEN', saved.token],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the npm login token for a registry', () => {
  it('is the one npm login saved in the user .npmrc (quoted as npm writes it)', () => {
    writeFileSync(userconfig, '//127.0.0.1:4873/:_authToken="user-token"\n//other.example/:_authToken=x\n');
    expect(authTokenFor('http://127.0.0.1:4873/', dir)).toBe('user-token');
    expect(authTokenFor('http://127.0.0.1:4874/', dir)).toBeUndefined();
  });

  it("prefers the project's .npmrc, the longest registry path, and expands environment variables", () => {
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, '.npmrc'),
      // npm's own syntax for an environment variable in .npmrc, written literally.
      `; a comment\n//registry.example/npm/:_authToken=${'$'}{ERP_TEST_TOKEN}\n`,
    );
    writeFileSync(userconfig, '//registry.example/:_authToken=host-wide\n');
    expect(authTokenFor('https://registry.example/npm/', project)).toBe('from-the-environment');
    expect(authTokenFor('https://registry.example/other/', project)).toBe('host-wide');
  });
});

describe('the publisher key file', () => {
  it('is written 0600 and read back with the same key id', () => {
    const file = join(dir, 'keys', 'publisher-key.pem');
    const made = createKeyFile(file, false);
    const loaded = loadKeyFile(file);
    expect(loaded.keyid).toBe(made.keyid);
    expect(loaded.publicKey).toBe(made.publicKey);
  });

  it('is refused when other users can read it, naming the fix', () => {
    const file = join(dir, 'keys', 'publisher-key.pem');
    chmodSync(file, 0o644);
    expect(() => loadKeyFile(file)).toThrow(`${file} is readable by other users: chmod 600 ${file}`);
  });

  it('is refused when it is not an Ed25519 private key', () => {
    const file = join(dir, 'not-a-key.pem');
    writeFileSync(file, 'hello', { mode: 0o600 });
    expect(() => loadKeyFile(file)).toThrow(/not an Ed25519 private key in PEM/);
  });
});
