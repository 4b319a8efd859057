// fetchPlugin: resolution (ranges skip deprecated versions, pins do not), content-addressed and
// atomic extraction with the package's own dependencies, no package script ever run, and refusals.
import { appendFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchPlugin,
  type NpmKeysDocument,
  type NpmSignature,
  packFolder,
  publishRelease,
  registryConfigKey,
  storeFolderFor,
  verifyVersionSignature,
} from '../src/index.js';
import { newNpmUser, newProject, npm } from './support/npm.js';
import { addUser, freshRegistry } from './support/registry.js';

let registry: Awaited<ReturnType<typeof freshRegistry>>;
let token: string;
let markers: string;

/** A script that, if it ever ran, would leave a file named after its hook in the markers folder. */
function marker(hook: string): string {
  return `node -e "require('fs').writeFileSync('${join(markers, hook)}', 'ran')"`;
}

async function publish(
  packageJson: Record<string, unknown>,
  files: Record<string, string> = { 'index.js': 'module.exports = 1;\n' },
) {
  const packed = await packFolder(await newProject(registry.url, { license: 'MIT', ...packageJson }, files));
  return publishRelease({ registry: registry.url, token, packed });
}

beforeAll(async () => {
  registry = await freshRegistry();
  token = await addUser(registry.url, 'acme');
  markers = await mkdtemp(join(tmpdir(), 'erp-markers-'));
  await publish({ name: '@acme/dep', version: '1.0.0', scripts: { postinstall: marker('dep-postinstall') } });
  const scripts = {
    preinstall: marker('preinstall'),
    install: marker('install'),
    postinstall: marker('postinstall'),
    prepare: marker('prepare'),
  };
  await publish({
    name: '@acme/plugin',
    version: '1.0.0',
    scripts,
    dependencies: { '@acme/dep': '^1.0.0' },
    devDependencies: { '@acme/missing-dev': '9.9.9' },
  });
  await publish({ name: '@acme/plugin', version: '1.1.0', scripts, dependencies: { '@acme/dep': '^1.0.0' } });
  // 1.1.0 is deprecated with the ordinary npm CLI.
  const user = await newNpmUser();
  await appendFile(user.userconfig, `${registryConfigKey(registry.url)}:_authToken=${token}\n`);
  const deprecated = await npm(
    user,
    ['deprecate', '@acme/plugin@1.1.0', 'broken, use 1.0.0', '--registry', registry.url],
    user.home,
  );
  expect(deprecated.code, deprecated.stderr).toBe(0);
});

afterAll(async () => {
  await registry?.dispose();
});

async function newStore(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'erp-plugin-store-'));
}

describe('fetchPlugin', () => {
  it('installs a range into the store by integrity, with its dependencies, running no script', async () => {
    const store = await newStore();
    const fetched = await fetchPlugin({
      registry: registry.url,
      name: '@acme/plugin',
      spec: '^1.0.0',
      store,
    });
    // 1.1.0 is newer but deprecated: a range never picks it.
    expect(fetched.version).toBe('1.0.0');
    expect(fetched.dir).toBe(join(store, storeFolderFor(fetched.integrity)));
    expect(JSON.parse(await readFile(join(fetched.dir, 'package.json'), 'utf8'))).toMatchObject({
      name: '@acme/plugin',
      version: '1.0.0',
    });
    expect(
      JSON.parse(await readFile(join(fetched.dir, 'node_modules/@acme/dep/package.json'), 'utf8')).version,
    ).toBe('1.0.0');
    expect(fetched.manifest.dist.signatures).toHaveLength(1);
    expect(await readdir(markers)).toEqual([]);
    // Nothing half-done is left behind: only the version's folder and the download cache.
    expect((await readdir(store)).sort()).toEqual(['.cache', storeFolderFor(fetched.integrity)].sort());

    // Same integrity, same folder: a second fetch (another kernel instance) reuses it.
    await writeFile(join(fetched.dir, 'seen'), '');
    const again = await fetchPlugin({
      registry: registry.url,
      name: '@acme/plugin',
      spec: '1.0.0',
      store,
      integrity: fetched.integrity,
    });
    expect(again.dir).toBe(fetched.dir);
    expect(await readdir(again.dir)).toContain('seen');
  });

  it('fetches a deprecated version when pinned exactly, never through a tag or range', async () => {
    const store = await newStore();
    const pinned = await fetchPlugin({ registry: registry.url, name: '@acme/plugin', spec: '1.1.0', store });
    expect(pinned.version).toBe('1.1.0');
    expect(pinned.manifest.deprecated).toBe('broken, use 1.0.0');
    // Deprecating rewrote the packument; the registry's signature made at publish is still there and valid.
    const keys = (await (await fetch(new URL('-/npm/v1/keys', registry.url))).json()) as NpmKeysDocument;
    const signatures = pinned.manifest.dist.signatures as NpmSignature[];
    expect(verifyVersionSignature(keys, '@acme/plugin', '1.1.0', pinned.integrity, signatures)).toBe(true);
    await expect(
      fetchPlugin({ registry: registry.url, name: '@acme/plugin', spec: 'latest', store }),
    ).rejects.toMatchObject({
      code: 'version_deprecated',
    });
    await expect(
      fetchPlugin({ registry: registry.url, name: '@acme/plugin', spec: '^1.1.0', store }),
    ).rejects.toMatchObject({
      code: 'version_not_found',
    });
    await expect(
      fetchPlugin({ registry: registry.url, name: '@acme/plugin', spec: 'not a range!', store }),
    ).rejects.toMatchObject({
      code: 'spec_invalid',
    });
    expect(await readdir(markers)).toEqual([]);
  });

  it('leaves out the dependencies the host provides (the kernel provides @erp/sdk)', async () => {
    await publish({ name: '@acme/hosted', version: '1.0.0', dependencies: { '@acme/host-sdk': '^1.0.0' } });
    const store = await newStore();
    // Not in the registry: installing it would fail, so nothing was asked of npm.
    await expect(
      fetchPlugin({ registry: registry.url, name: '@acme/hosted', spec: '1.0.0', store }),
    ).rejects.toMatchObject({ code: 'dependencies_failed' });
    const fetched = await fetchPlugin({
      registry: registry.url,
      name: '@acme/hosted',
      spec: '1.0.0',
      store,
      provided: ['@acme/host-sdk'],
    });
    expect(await readdir(fetched.dir)).not.toContain('node_modules');
  });

  it('refuses a tampered tarball, naming the package, and installs nothing', async () => {
    await publish({ name: '@acme/victim', version: '2.0.0' });
    const tarball = join(registry.storage, 'packages', '@acme', 'victim', 'victim-2.0.0.tgz');
    const other = await packFolder(
      await newProject(registry.url, { name: '@acme/victim', version: '2.0.0' }, { 'index.js': 'evil();\n' }),
    );
    await writeFile(tarball, other.tarball);
    const store = await newStore();
    const refusal = fetchPlugin({ registry: registry.url, name: '@acme/victim', spec: '2.0.0', store });
    await expect(refusal).rejects.toMatchObject({ code: 'integrity_mismatch' });
    await expect(refusal).rejects.toThrow(/@acme\/victim@2\.0\.0/);
    expect((await readdir(store)).filter((entry) => entry !== '.cache')).toEqual([]);
  });

  it('refuses an integrity other than the one asked for, an unknown package and an unreachable registry', async () => {
    const store = await newStore();
    const elsewhere = `sha512-${Buffer.alloc(64, 3).toString('base64')}`;
    await expect(
      fetchPlugin({
        registry: registry.url,
        name: '@acme/plugin',
        spec: '1.0.0',
        store,
        integrity: elsewhere,
      }),
    ).rejects.toMatchObject({ code: 'integrity_mismatch' });
    await expect(
      fetchPlugin({ registry: registry.url, name: '@acme/nothing', spec: '1.0.0', store }),
    ).rejects.toMatchObject({
      code: 'package_not_found',
    });
    await expect(
      fetchPlugin({ registry: 'http://127.0.0.1:9/', name: '@acme/plugin', spec: '1.0.0', store }),
    ).rejects.toMatchObject({
      code: 'registry_unreachable',
    });
  });
});
