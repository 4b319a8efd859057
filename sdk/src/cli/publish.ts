// `erp-plugin publish`: build, log in (the npm login), check the version is new and the key is
// registered to this publisher, pack, sign, publish — one progress line per stage, and a refusal
// that names its cause (not logged in, key not registered or revoked, version exists, registry
// unreachable) before anything is uploaded where it can be known before.
import {
  MarketplaceError,
  PUBLISHER_KEYS_PATH,
  type PublisherKeyRecord,
  packFolder,
  pluginManifestHash,
  publishRelease,
  RegistryPublisherKeys,
  signRelease,
} from '../marketplace/index.js';
import { build } from './build.js';
import { keyFile, type LoadedKey, loadKeyFile } from './key-file.js';
import { ensureLogin, type RegistryLogin } from './login.js';
import { registryFor } from './npm-config.js';
import { stage } from './progress.js';

export class PublishError extends Error {}

export interface PublishOptions {
  registry?: string;
  key?: string;
  tag?: string;
  interactive: boolean;
}

async function packumentVersions(login: RegistryLogin, name: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(new URL(name.replace('/', '%2f'), login.registry), {
      headers: { accept: 'application/json', authorization: `Bearer ${login.token}` },
    });
  } catch (error) {
    throw new MarketplaceError(
      'registry_unreachable',
      `registry unreachable: ${login.registry} (${(error as Error).message})`,
      503,
    );
  }
  if (res.status === 404) return {};
  if (!res.ok) throw new PublishError(`${login.registry} answered ${res.status} for ${name}`);
  return ((await res.json()) as { versions?: Record<string, unknown> }).versions ?? {};
}

/** The key as the registry knows it, registered for this publisher on first use. */
async function registeredKey(
  login: RegistryLogin,
  key: LoadedKey,
): Promise<{ record: PublisherKeyRecord; registered: boolean }> {
  const keys = new RegistryPublisherKeys(login.registry, login.token);
  const found = await keys.get(key.keyid);
  if (!found) {
    const record = await keys.register(key.publicKey).catch((error: unknown) => {
      // A registry without the key routes (not the ERP marketplace) answers 404 or 405 to them.
      if (error instanceof MarketplaceError && (error.status === 404 || error.status === 405)) {
        throw new PublishError(
          `${login.registry} has no publisher-key register (POST ${PUBLISHER_KEYS_PATH} answered ${error.status}): is it the ERP marketplace?`,
        );
      }
      throw error;
    });
    return { record, registered: true };
  }
  if (found.owner !== login.user) {
    throw new PublishError(
      `key ${key.keyid} is registered to ${found.owner}, not to ${login.user}: log in as ${found.owner} or make a key of your own (erp-plugin keygen --key <file>)`,
    );
  }
  if (found.revokedAt) {
    throw new PublishError(
      `key ${key.keyid} was revoked on ${found.revokedAt}${found.revokedReason ? ` (${found.revokedReason})` : ''}: make a new one (erp-plugin keygen --force)`,
    );
  }
  if (found.expiresAt && Date.parse(found.expiresAt) <= Date.now()) {
    throw new PublishError(
      `key ${key.keyid} expired on ${found.expiresAt}: make a new one (erp-plugin keygen --force)`,
    );
  }
  return { record: found, registered: false };
}

/** The registry's refusal of the upload, said in the partner's terms. */
function refusal(error: unknown, name: string, version: string, login: RegistryLogin): Error {
  if (!(error instanceof MarketplaceError)) return error as Error;
  if (error.code === 'registry_unreachable')
    return new PublishError(`registry unreachable: ${error.message}`);
  if (error.status === 409) {
    return new PublishError(
      `${name}@${version} is already in ${login.registry}: raise "version" in package.json`,
    );
  }
  if (error.status === 401)
    return new PublishError(
      `not logged in to ${login.registry}: run "npm login --registry ${login.registry}"`,
    );
  return new PublishError(`${login.registry} refused ${name}@${version} (${error.status}): ${error.message}`);
}

export async function publish(dir: string, options: PublishOptions): Promise<void> {
  const pkg = await build(dir);
  const { name, version } = pkg;
  const registry = registryFor(dir, name, options.registry);
  const login = await ensureLogin(registry, dir, options.interactive);
  console.log(`• registry ${registry}: logged in as ${login.user}`);
  const key = loadKeyFile(keyFile(options.key));
  await stage('version is new', async () => {
    if ((await packumentVersions(login, name))[version]) {
      throw new PublishError(`${name}@${version} is already in ${registry}: raise "version" in package.json`);
    }
  });
  await stage(
    `publisher key ${key.keyid}`,
    () => registeredKey(login, key),
    (r) => (r.registered ? `(registered now for ${login.user})` : `(registered to ${login.user})`),
  );
  const packed = await stage(
    'pack',
    () => packFolder(dir),
    (p) => `(${p.tarball.length} bytes, ${p.integrity.slice(0, 20)}…)`,
  );
  if (packed.packageJson.name !== name || packed.packageJson.version !== version) {
    throw new PublishError(
      `the tarball says ${packed.packageJson.name}@${packed.packageJson.version}, package.json ${name}@${version}`,
    );
  }
  const signature = await stage('sign (name, version, integrity, manifest hash)', () =>
    signRelease(
      { name, version, integrity: packed.integrity, manifestHash: pluginManifestHash(packed.packageJson) },
      key.privateKey,
    ),
  );
  await stage(`publish to ${registry}`, () =>
    publishRelease({
      registry,
      token: login.token,
      packed,
      signature,
      ...(options.tag ? { tag: options.tag } : {}),
    }).catch((error: unknown) => {
      throw refusal(error, name, version, login);
    }),
  );
  console.log(`published ${name}@${version} (integrity ${packed.integrity}, signed by ${key.keyid})`);
}
