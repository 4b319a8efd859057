// The catalogue a tenant browses: search and one plugin's details, read from the registry each
// time (the registry is the source of truth; packuments are small), every version judged against
// this kernel and the publisher key register.
import semver from 'semver';
import type { MarketplaceClientModule } from '../marketplace/index.js';
import { type DescribeDeps, describeVersion, pluginPackage } from './describe.js';
import { marketProblem } from './problems.js';
import { tarballReadme } from './readme.js';
import type { Packument, RegistryClient } from './registry-client.js';
import type { PluginDetails, PluginSummary, VersionInfo } from './schemas.js';

/** The version a listing shows: the newest installable one, else the `latest` tag, else the newest. */
function shownVersion(p: Packument, described: VersionInfo[]): VersionInfo | undefined {
  const ok = described.filter((v) => !v.deprecated && !v.invalid && v.compatible);
  return ok[0] ?? described.find((v) => v.version === p['dist-tags']?.latest) ?? described[0];
}

export type { PluginDetails, PluginSummary };

export class Catalogue {
  constructor(
    private readonly registry: RegistryClient,
    private readonly market: () => Promise<MarketplaceClientModule>,
    private readonly kernelVersion: string,
  ) {}

  private async deps(): Promise<DescribeDeps> {
    return { market: await this.market(), registry: this.registry, kernelVersion: this.kernelVersion };
  }

  private async describeAll(p: Packument): Promise<VersionInfo[]> {
    const d = await this.deps();
    const ctx = {
      keys: await this.registry.keys(),
      publisherKeys: this.registry.publisherKeys(),
      time: p.time,
    };
    const versions = Object.values(p.versions ?? {}).sort((a, b) => semver.rcompare(a.version, b.version));
    return Promise.all(versions.map((v) => describeVersion(d, ctx, v)));
  }

  private summary(p: Packument, described: VersionInfo[]): PluginSummary | null {
    const shown = shownVersion(p, described);
    const v = shown && p.versions[shown.version];
    const pkg = v && pluginPackage(v);
    if (!shown || !pkg || typeof pkg === 'string') return null;
    return {
      package: p.name,
      id: pkg.manifest.id,
      displayName: pkg.manifest.displayName,
      description: pkg.manifest.description ?? p.description ?? '',
      latest: shown.version,
      compatible: shown.compatible,
      deprecated: shown.deprecated,
      publisher: shown.publisher,
    };
  }

  async search(q: string, limit: number): Promise<PluginSummary[]> {
    const names = await this.registry.search(q, limit);
    const found = await Promise.all(
      names.map(async (name) => {
        const p = await this.registry.packument(name).catch(() => undefined);
        if (!p) return null;
        // Only plugins: the registry also holds the SDK and ordinary dependencies.
        if (!Object.values(p.versions ?? {}).some((v) => v.erp !== undefined)) return null;
        return this.summary(p, await this.describeAll(p));
      }),
    );
    return found.filter((s): s is PluginSummary => s !== null);
  }

  async details(name: string): Promise<PluginDetails> {
    const p = await this.registry.packument(name);
    const described = await this.describeAll(p);
    const summary = this.summary(p, described);
    if (!summary)
      throw marketProblem(
        404,
        'ERP_MARKETPLACE_NOT_A_PLUGIN',
        'Not a plugin',
        `${name} has no version with a plugin manifest.`,
      );
    let readme = typeof p.readme === 'string' && p.readme.trim() ? p.readme : null;
    const tarball = p.versions[summary.latest]?.dist.tarball;
    if (!readme && tarball) readme = await tarballReadme(tarball);
    return { ...summary, versions: described, distTags: p['dist-tags'] ?? {}, readme };
  }
}
