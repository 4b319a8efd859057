// Publisher signatures: the seven answers of verifyRelease, the key register over the registry's
// routes, and what the registry does with a signed publish (checks it, keeps it in dist).
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generatePublisherKey,
  keysDocument,
  loadOrCreateRegistryKey,
  manifestHash,
  type NpmKeysDocument,
  PublisherKeyStore,
  packFolder,
  pluginManifestHash,
  publishRelease,
  REGISTRY_KEY_FILE,
  RegistryPublisherKeys,
  signRelease,
  verifyRelease,
  verifyVersionSignature,
} from '../src/index.js';
import { newProject } from './support/npm.js';
import { addUser, freshRegistry } from './support/registry.js';

const INTEGRITY = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
const release = {
  name: '@acme/widget',
  version: '1.2.3',
  integrity: INTEGRITY,
  manifestHash: manifestHash({ permissions: ['a.read'] }),
};

describe('verifyRelease against a key store', () => {
  let store: PublisherKeyStore;
  beforeAll(async () => {
    store = new PublisherKeyStore(await mkdtemp(join(tmpdir(), 'erp-keys-')));
  });

  it('answers valid, unsigned, unknown key, bad signature and integrity mismatch', async () => {
    const key = generatePublisherKey();
    const stranger = generatePublisherKey();
    await store.register('alice', key.publicKey);
    const signature = signRelease(release, key.privateKey);
    expect(signature.keyid).toBe(key.keyid);

    expect((await verifyRelease({ release, signature, keys: store })).status).toBe('valid');
    expect((await verifyRelease({ release, signature: undefined, keys: store })).status).toBe('unsigned');
    expect(
      (await verifyRelease({ release, signature: signRelease(release, stranger.privateKey), keys: store }))
        .status,
    ).toBe('unknown-key');
    // A stranger's signature presented under alice's key id.
    const forged = { ...signRelease(release, stranger.privateKey), keyid: key.keyid };
    const bad = await verifyRelease({ release, signature: forged, keys: store });
    expect(bad).toMatchObject({ status: 'bad-signature', publisher: 'alice' });
    // Same integrity claimed, other manifest: the signature no longer covers what is installed.
    const otherManifest = await verifyRelease({
      release: { ...release, manifestHash: manifestHash({ permissions: ['b'] }) },
      signature,
      keys: store,
    });
    expect(otherManifest.status).toBe('bad-signature');
    const otherTarball = `sha512-${Buffer.alloc(64, 8).toString('base64')}`;
    const mismatch = await verifyRelease({
      release: { ...release, integrity: otherTarball },
      signature,
      keys: store,
    });
    expect(mismatch.status).toBe('integrity-mismatch');
    expect(mismatch.reason).toContain('@acme/widget@1.2.3');
  });

  it('answers expired key and revoked key, revocation first', async () => {
    const key = generatePublisherKey();
    await store.register('alice', key.publicKey, '2099-01-01T00:00:00Z');
    const signature = signRelease(release, key.privateKey);
    expect(
      (await verifyRelease({ release, signature, keys: store, now: new Date('2098-12-31T00:00:00Z') }))
        .status,
    ).toBe('valid');
    expect(
      (await verifyRelease({ release, signature, keys: store, now: new Date('2099-01-02T00:00:00Z') }))
        .status,
    ).toBe('expired-key');
    await store.expire(key.keyid, 'alice');
    expect((await verifyRelease({ release, signature, keys: store })).status).toBe('expired-key');
    await store.revoke(key.keyid, 'alice', 'laptop stolen');
    const revoked = await verifyRelease({ release, signature, keys: store });
    expect(revoked.status).toBe('revoked-key');
    expect(revoked.reason).toContain('laptop stolen');
  });

  it('refuses changes by anyone but the key owner, and a key taken by another publisher', async () => {
    const key = generatePublisherKey();
    await store.register('alice', key.publicKey);
    await expect(store.revoke(key.keyid, 'mallory')).rejects.toMatchObject({
      code: 'publisher_key_not_owner',
    });
    await expect(store.register('mallory', key.publicKey)).rejects.toMatchObject({
      code: 'publisher_key_taken',
    });
    await expect(store.register('alice', 'bm90IGEga2V5')).rejects.toMatchObject({
      code: 'publisher_key_invalid',
    });
    expect((await store.get(key.keyid))?.revokedAt).toBeNull();
  });
});

describe('the registry and publisher signatures', () => {
  let registry: Awaited<ReturnType<typeof freshRegistry>>;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    registry = await freshRegistry();
    aliceToken = await addUser(registry.url, 'alice');
    bobToken = await addUser(registry.url, 'bob');
  });
  afterAll(async () => {
    await registry?.dispose();
  });

  async function packed(
    name: string,
    version: string,
    erp: Record<string, unknown> = { permissions: ['x.read'] },
  ) {
    return packFolder(
      await newProject(
        registry.url,
        { name, version, license: 'MIT', erp },
        { 'index.js': 'export default 1;\n' },
      ),
    );
  }

  async function packument(
    name: string,
  ): Promise<{ versions: Record<string, { erp: unknown; dist: Record<string, unknown> }> }> {
    const res = await fetch(new URL(name.replace('/', '%2f'), registry.url));
    return (await res.json()) as never;
  }

  it('keeps the registry key in the storage folder, readable by its owner only, across restarts', async () => {
    const file = join(registry.storage, REGISTRY_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateRegistryKey(registry.storage)).keyid).toBe(registry.keyid);
    expect(await readFile(file, 'utf8')).toContain('PRIVATE KEY');
  });

  it('stores a signed release with its publisher signature and the registry countersignature', async () => {
    const key = generatePublisherKey();
    const keys = new RegistryPublisherKeys(registry.url, aliceToken);
    const record = await keys.register(key.publicKey);
    expect(record).toMatchObject({ keyid: key.keyid, owner: 'alice', revokedAt: null });

    const pack = await packed('@alice/signed', '1.0.0');
    const published = await publishRelease({
      registry: registry.url,
      token: aliceToken,
      packed: pack,
      privateKey: key.privateKey,
    });
    expect(published.signature?.keyid).toBe(key.keyid);

    const version = (await packument('@alice/signed')).versions['1.0.0'];
    expect(version?.dist.integrity).toBe(pack.integrity);
    expect(version?.dist.publisherSignature).toEqual(published.signature);
    // What a kernel does: recompute from what it fetched, look the key up over HTTP.
    const verdict = await verifyRelease({
      release: {
        name: '@alice/signed',
        version: '1.0.0',
        integrity: pack.integrity,
        manifestHash: pluginManifestHash({ erp: version?.erp }),
      },
      signature: version?.dist.publisherSignature as never,
      keys: new RegistryPublisherKeys(registry.url),
    });
    expect(verdict).toMatchObject({ status: 'valid', publisher: 'alice' });
    const keysDoc = (await (await fetch(new URL('-/npm/v1/keys', registry.url))).json()) as NpmKeysDocument;
    expect(keysDoc).toEqual(keysDocument(await loadOrCreateRegistryKey(registry.storage)));
    expect(
      verifyVersionSignature(
        keysDoc,
        '@alice/signed',
        '1.0.0',
        pack.integrity,
        version?.dist.signatures as never,
      ),
    ).toBe(true);
    expect(
      verifyVersionSignature(
        keysDoc,
        '@alice/signed',
        '1.0.1',
        pack.integrity,
        version?.dist.signatures as never,
      ),
    ).toBe(false);

    // Revoking the key flags the version already published.
    await keys.revoke(key.keyid, 'rotated');
    const after = await verifyRelease({
      release: {
        name: '@alice/signed',
        version: '1.0.0',
        integrity: pack.integrity,
        manifestHash: pluginManifestHash({ erp: version?.erp }),
      },
      signature: version?.dist.publisherSignature as never,
      keys: new RegistryPublisherKeys(registry.url),
    });
    expect(after.status).toBe('revoked-key');
    // ...and refuses new releases signed with it.
    await expect(
      publishRelease({
        registry: registry.url,
        token: aliceToken,
        packed: await packed('@alice/signed', '1.0.1'),
        privateKey: key.privateKey,
      }),
    ).rejects.toMatchObject({ code: 'publisher_signature_revoked_key', status: 400 });
  });

  it('refuses a publish signed by an unregistered key, by another publisher’s key, or lying about integrity', async () => {
    const unregistered = generatePublisherKey();
    await expect(
      publishRelease({
        registry: registry.url,
        token: aliceToken,
        packed: await packed('@alice/a', '1.0.0'),
        privateKey: unregistered.privateKey,
      }),
    ).rejects.toMatchObject({ code: 'publisher_signature_unknown_key' });

    const bobs = generatePublisherKey();
    await new RegistryPublisherKeys(registry.url, bobToken).register(bobs.publicKey);
    await expect(
      publishRelease({
        registry: registry.url,
        token: aliceToken,
        packed: await packed('@alice/b', '1.0.0'),
        privateKey: bobs.privateKey,
      }),
    ).rejects.toMatchObject({ code: 'publisher_key_not_owner', status: 403 });

    const pack = await packed('@alice/c', '1.0.0');
    const lying = { ...pack, integrity: `sha512-${Buffer.alloc(64, 1).toString('base64')}` };
    await expect(
      publishRelease({ registry: registry.url, token: aliceToken, packed: lying }),
    ).rejects.toMatchObject({
      code: 'integrity_mismatch',
    });
    // Nothing of the refused publishes was stored.
    for (const name of ['@alice/a', '@alice/b', '@alice/c']) {
      expect((await fetch(new URL(name.replace('/', '%2f'), registry.url))).status).toBe(404);
    }
  });

  it('publishes unsigned releases as unsigned, and only logged-in users register keys', async () => {
    const pack = await packed('@alice/plain', '1.0.0');
    await publishRelease({ registry: registry.url, token: aliceToken, packed: pack });
    const version = (await packument('@alice/plain')).versions['1.0.0'];
    expect(version?.dist.signatures).toHaveLength(1);
    const verdict = await verifyRelease({
      release: {
        name: '@alice/plain',
        version: '1.0.0',
        integrity: pack.integrity,
        manifestHash: pluginManifestHash(pack.packageJson),
      },
      signature: version?.dist.publisherSignature as never,
      keys: registry.publisherKeys,
    });
    expect(verdict.status).toBe('unsigned');
    await expect(
      new RegistryPublisherKeys(registry.url).register(generatePublisherKey().publicKey),
    ).rejects.toMatchObject({
      code: 'login_required',
      status: 401,
    });
  });
});
