// The ordinary npm CLI against the embedded registry: adduser, publish, view, install and
// `npm audit signatures`, scope ownership, and a registry that serves the wrong key.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NpmUser, newNpmUser, newProject, npm, npmAddUser } from './support/npm.js';
import { freshRegistry } from './support/registry.js';

let registry: Awaited<ReturnType<typeof freshRegistry>>;
let alice: NpmUser;
let bob: NpmUser;

beforeAll(async () => {
  registry = await freshRegistry();
  alice = await newNpmUser();
  bob = await newNpmUser();
  for (const [user, name] of [
    [alice, 'alice'],
    [bob, 'bob'],
  ] as const) {
    const result = await npmAddUser(user, registry.url, name, `${name}-password-1`, user.home);
    expect(result.stdout).toContain('Logged in');
  }
});

afterAll(async () => {
  await registry?.dispose();
});

function output(r: { stdout: string; stderr: string }): string {
  return `${r.stdout}\n${r.stderr}`;
}

describe('npm CLI against the marketplace registry', () => {
  it('publishes, views, installs and verifies registry signatures with npm audit signatures', async () => {
    const pkg = await newProject(
      registry.url,
      { name: '@acme/hello', version: '1.0.0', main: 'index.js', license: 'MIT' },
      { 'index.js': 'module.exports = "hello";\n' },
    );
    const published = await npm(alice, ['publish'], pkg);
    expect(published.code, output(published)).toBe(0);

    const view = await npm(alice, ['view', '@acme/hello', '--json'], pkg);
    expect(view.code, output(view)).toBe(0);
    const viewed = JSON.parse(view.stdout) as {
      version: string;
      dist: { integrity: string; signatures: Array<{ keyid: string }> };
    };
    expect(viewed.version).toBe('1.0.0');
    expect(viewed.dist.signatures).toEqual([{ keyid: registry.keyid, sig: expect.any(String) }]);

    const app = await newProject(registry.url, { name: 'consumer', version: '1.0.0', private: true });
    const installed = await npm(alice, ['install', '@acme/hello@^1.0.0'], app);
    expect(installed.code, output(installed)).toBe(0);

    const audit = await npm(alice, ['audit', 'signatures'], app);
    expect(audit.code, output(audit)).toBe(0);
    expect(audit.stdout).toMatch(/1 package has a verified registry signature/);
  });

  it('lets an existing publisher log in again with npm login from another machine', async () => {
    const laptop = await newNpmUser();
    const login = await npmAddUser(laptop, registry.url, 'alice', 'alice-password-1', laptop.home, 'login');
    expect(login.stdout).toContain('Logged in');
    const whoami = await npm(laptop, ['whoami', '--registry', registry.url], laptop.home);
    expect(whoami.stdout.trim()).toBe('alice');
    const wrong = await npmAddUser(
      await newNpmUser(),
      registry.url,
      'alice',
      'not-her-password',
      laptop.home,
      'login',
    );
    expect(wrong.stdout).not.toContain('Logged in');
  });

  it('gives a scope to its first publisher and refuses everyone else', async () => {
    const other = await newProject(
      registry.url,
      { name: '@acme/intruder', version: '1.0.0', license: 'MIT' },
      { 'index.js': '' },
    );
    const refused = await npm(bob, ['publish'], other);
    expect(refused.code).not.toBe(0);
    expect(output(refused)).toMatch(/403/);
    expect(output(refused)).toMatch(/@acme belongs to another publisher \(alice\)/);
    expect(await registry.owners.ownerOf('@acme/intruder')).toBe('alice');

    const own = await newProject(
      registry.url,
      { name: '@bob/tool', version: '1.0.0', license: 'MIT' },
      { 'index.js': '' },
    );
    const accepted = await npm(bob, ['publish'], own);
    expect(accepted.code, output(accepted)).toBe(0);
    const aliceTries = await npm(
      alice,
      ['publish'],
      await newProject(registry.url, { name: '@bob/tool', version: '1.0.1' }, { 'index.js': '' }),
    );
    expect(aliceTries.code).not.toBe(0);
    expect(output(aliceTries)).toMatch(/@bob belongs to another publisher \(bob\)/);
  });

  it('makes npm audit signatures fail when the registry serves a different key under the same id', async () => {
    const proxy = await wrongKeyProxy(registry.url, registry.keyid);
    try {
      const app = await newProject(proxy.url, { name: 'consumer-2', version: '1.0.0', private: true });
      const installed = await npm(alice, ['install', '@acme/hello@1.0.0'], app);
      expect(installed.code, output(installed)).toBe(0);
      const audit = await npm(alice, ['audit', 'signatures'], app);
      expect(audit.code).not.toBe(0);
      expect(output(audit)).toMatch(/invalid registry signature/i);
    } finally {
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });
});

/** An HTTP proxy to the registry that answers /-/npm/v1/keys with another P-256 key, same keyid. */
async function wrongKeyProxy(target: string, keyid: string): Promise<{ url: string; server: Server }> {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (req.url === '/-/npm/v1/keys') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          keys: [
            { keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key, expires: null },
          ],
        }),
      );
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
