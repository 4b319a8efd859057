// Install and upgrade from the registry, per tenant. preview(): resolve the range, check kernel and
// plugin dependencies, judge both signatures against the tenant's trust policy, and compute the
// consent and its hash. install(): preview again for the exact version, refuse unless the consent
// hash is the one the admin answered, download into the content-addressed store (integrity
// checked, no script run), verify again what was downloaded, record the artifact (so every
// instance can fetch the same bytes), and hand the version to the plugin host's lifecycle. A
// refusal rolls everything back to before the attempt and commits only its audit entry.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginPackage } from '@erp/sdk';
import semver from 'semver';
import { type AuditLog, requestAudit } from '../audit/index.js';
import { Problem } from '../http/index.js';
import type { MarketplaceClientModule } from '../marketplace/index.js';
import type {
  Installation,
  Installations,
  PluginLifecycle,
  PluginVersions,
  Runtime,
  StepContext,
} from '../plugins/index.js';
import type { Sql } from '../tenancy/index.js';
import { consentFor, consentHash } from './consent.js';
import { type DescribeDeps, pluginPackage, registrySignatureOf, verifyPublisher } from './describe.js';
import { asProblem, marketProblem } from './problems.js';
import type { PackumentVersion, RegistryClient } from './registry-client.js';
import { chooseVersion, resolveDependencies } from './resolve.js';
import type { Preview } from './schemas.js';
import { decideRuntime, type TrustPolicies } from './trust-policy.js';

/** The kernel gives plugins its own SDK (plugins/sdk-provider): never installed per plugin. */
const HOST_PROVIDED = ['@erp/sdk'];

export type { Preview };

export interface InstallerDeps {
  registry: RegistryClient;
  market: () => Promise<MarketplaceClientModule>;
  policies: TrustPolicies;
  lifecycle: PluginLifecycle;
  installations: Installations;
  versions: PluginVersions;
  audit: AuditLog;
  kernelVersion: string;
  /** The content-addressed plugin store (a catalogue root of the plugin host). */
  store: string;
}

export class MarketplaceInstaller {
  constructor(private readonly d: InstallerDeps) {}

  private async describeDeps(): Promise<DescribeDeps> {
    return { market: await this.d.market(), registry: this.d.registry, kernelVersion: this.d.kernelVersion };
  }

  async preview(sql: Sql, name: string, range?: string): Promise<Preview> {
    const { registry, kernelVersion } = this.d;
    const packument = await registry.packument(name);
    const version = chooseVersion(packument, range, kernelVersion);
    const v = packument.versions[version]!;
    const pkg = pluginPackage(v) as PluginPackage; // chooseVersion refuses non-plugins
    const integrity = v.dist.integrity;
    if (!integrity)
      throw marketProblem(
        422,
        'ERP_MARKETPLACE_INTEGRITY_MISSING',
        'No integrity',
        `${name}@${version} has no dist.integrity.`,
      );
    const installed = await this.d.installations.list(sql);
    const current = installed.find((i) => i.package === name || i.pluginId === pkg.manifest.id);
    if (current) {
      if (current.package !== name)
        throw marketProblem(
          409,
          'ERP_MARKETPLACE_ID_TAKEN',
          'Plugin id taken',
          `This tenant runs ${current.package} as ${current.pluginId}; ${name} claims the same id.`,
        );
      if (current.version === version)
        throw marketProblem(
          409,
          'ERP_PLUGIN_ALREADY_INSTALLED',
          'Already installed',
          `This tenant already runs ${name}@${version}.`,
        );
      if (semver.lt(version, current.version))
        throw marketProblem(
          409,
          'ERP_PLUGIN_NOT_NEWER',
          'Not an upgrade',
          `This tenant runs ${name}@${current.version}; ${version} is older. Use rollback to go back.`,
        );
      if (current.pinned)
        throw marketProblem(
          409,
          'ERP_PLUGIN_PINNED',
          'Installation is pinned',
          `${current.pluginId} is pinned at ${current.version}; unpin it before upgrading.`,
        );
    }
    const check = await this.verify(sql, v, {
      integrity,
      manifestHash: (await this.d.market()).pluginManifestHash(v),
    });
    const dependencies = await resolveDependencies(
      registry,
      { name, version, dependencies: pkg.manifest.dependencies ?? {} },
      installed,
      (i) =>
        this.d.versions.find(i.package, i.version, i.source === 'registry' ? i.integrity : null)?.pkg.manifest
          .dependencies ?? {},
      kernelVersion,
    );
    const previous = current ? this.manifestOf(current, packument.versions[current.version]) : undefined;
    const consent = consentFor(pkg.manifest, previous);
    return {
      action: current ? 'upgrade' : 'install',
      package: name,
      pluginId: pkg.manifest.id,
      version,
      currentVersion: current?.version ?? null,
      integrity,
      deprecated: typeof v.deprecated === 'string' ? v.deprecated : null,
      consent,
      consentHash: consentHash({ package: name, version, integrity }, consent),
      ...check,
      dependencies,
    };
  }

  /** Both signatures against the tenant's policy: the runtime, or a refusal. */
  private async verify(sql: Sql, v: PackumentVersion, release: { integrity: string; manifestHash: string }) {
    const d = await this.describeDeps();
    const registrySignature = registrySignatureOf(d, await this.d.registry.keys(), v, release.integrity);
    if (registrySignature === 'invalid')
      throw marketProblem(
        403,
        'ERP_MARKETPLACE_REGISTRY_SIGNATURE_INVALID',
        'Registry signature does not verify',
        `${v.name}@${v.version}: dist.signatures does not verify against the registry's keys.`,
      );
    const { verification: _v, ...publisher } = await verifyPublisher(
      d,
      this.d.registry.publisherKeys(),
      v,
      release,
    );
    let runtime: Runtime;
    try {
      runtime = decideRuntime(await this.d.policies.get(sql), publisher, `${v.name}@${v.version}`);
    } catch (err) {
      // The refusal's audit entry names the release and the key even though no preview came back.
      Object.assign(err as object, { release: { integrity: release.integrity, keyid: publisher.keyid } });
      throw err;
    }
    return { publisher, registrySignature, runtime };
  }

  /** The manifest of the version the tenant runs: from the plugin host, else the registry. */
  private manifestOf(current: Installation, fromRegistry: PackumentVersion | undefined) {
    const local = this.d.versions.find(
      current.package,
      current.version,
      current.source === 'registry' ? current.integrity : null,
    )?.pkg.manifest;
    if (local) return local;
    const pkg = fromRegistry && pluginPackage(fromRegistry);
    return pkg && typeof pkg !== 'string' ? pkg.manifest : {};
  }

  async install(
    step: StepContext,
    body: { package: string; version: string; consentHash: string },
  ): Promise<Installation> {
    const { sql } = step;
    let preview: Preview | undefined;
    let keyid: string | null = null;
    await sql.query('savepoint marketplace_install');
    try {
      preview = await this.preview(sql, body.package, body.version);
      keyid = preview.publisher.keyid;
      if (preview.consentHash !== body.consentHash)
        throw marketProblem(
          409,
          'ERP_MARKETPLACE_CONSENT_MISMATCH',
          'Consent does not match',
          `The consent answers another release or grant than ${body.package}@${body.version} (integrity ${preview.integrity}) asks for now; preview again.`,
        );
      const missing = preview.dependencies.filter((p) => p.action === 'install');
      if (missing.length)
        throw marketProblem(
          409,
          'ERP_MARKETPLACE_DEPENDENCY_MISSING',
          'Install its dependencies first',
          `${body.package}@${preview.version} needs ${missing.map((m) => `${m.package}@${m.resolved}`).join(', ')}, not installed for this tenant.`,
        );
      const market = await this.d.market();
      const fetched = await market.fetchPlugin({
        registry: this.d.registry.require(),
        name: body.package,
        spec: preview.version,
        store: this.d.store,
        integrity: preview.integrity,
        provided: HOST_PROVIDED,
      });
      // What was downloaded is judged again: the manifest hash from its own package.json.
      const packageJson = JSON.parse(await readFile(join(fetched.dir, 'package.json'), 'utf8'));
      const check = await this.verify(sql, fetched.manifest as PackumentVersion, {
        integrity: fetched.integrity,
        manifestHash: market.pluginManifestHash(packageJson),
      });
      keyid = check.publisher.keyid;
      // The store is a catalogue root of the plugin host: rescan so the release is there, by its
      // integrity (a copy of the same version on the operator's path is another entry).
      this.d.versions.refresh();
      if (this.d.versions.find(fetched.name, fetched.version, fetched.integrity)?.dir !== fetched.dir)
        throw marketProblem(
          500,
          'ERP_MARKETPLACE_STORE_FAILED',
          'Release not in the plugin store',
          `${fetched.name}@${fetched.version} was fetched but is not in the plugin store's catalogue.`,
        );
      const release = {
        runtime: check.runtime,
        integrity: fetched.integrity,
        keyid,
        consentHash: preview.consentHash,
      };
      const installation =
        preview.action === 'install'
          ? await this.d.lifecycle.install(step, fetched.name, fetched.version, release)
          : await this.d.lifecycle.upgrade(step, preview.pluginId, fetched.version, release);
      await sql.query('release savepoint marketplace_install');
      return installation;
    } catch (err) {
      const problem = asProblem(err);
      if (!problem) throw err;
      const refused = (err as { release?: { integrity: string; keyid: string | null } }).release;
      keyid ??= refused?.keyid ?? null;
      await sql.query('rollback to savepoint marketplace_install');
      await this.d.audit.record(sql, {
        ...requestAudit({ id: step.requestId ?? '', ip: step.ip ?? '' }, step.principal),
        action: 'marketplace.install.refused',
        resource: { type: 'plugin', id: preview?.pluginId ?? body.package },
        change: {
          package: body.package,
          version: body.version,
          integrity: preview?.integrity ?? refused?.integrity ?? null,
          keyid,
          // "consent", not "consentHash": the audit log redacts fields named like hashes.
          consent: body.consentHash,
          expectedConsent: preview?.consentHash ?? null,
          code: problem.code,
          reason: problem.options.detail ?? problem.title,
        },
      });
      throw new Problem(problem.status, problem.code, problem.title, {
        ...problem.options,
        commitBeforeThrow: true,
      });
    }
  }

  /**
   * For PluginVersions: a registry release an installation names that this instance lacks (another
   * instance installed it) is fetched by its integrity (the same bytes, checked by pacote).
   */
  async fetchMissing(name: string, version: string, integrity: string): Promise<boolean> {
    if (!this.d.registry.url) return false;
    await (await this.d.market()).fetchPlugin({
      registry: this.d.registry.url,
      name,
      spec: version,
      store: this.d.store,
      integrity,
      provided: HOST_PROVIDED,
    });
    return true;
  }
}
