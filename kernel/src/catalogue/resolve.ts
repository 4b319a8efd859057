// Which release a request means, and what it needs. A range (or none: the newest) never lands on a
// deprecated or yanked version, nor on one whose kernel range excludes this kernel; an exact
// version may be deprecated (asked for by name) but never yanked. Plugin dependencies are resolved
// transitively against what the tenant runs and what the registry has; a conflict names both sides.
import semver from 'semver';
import type { Installation } from '../plugins/index.js';
import { isYanked, kernelCompatible, pluginPackage } from './describe.js';
import { marketProblem } from './problems.js';
import type { Packument, RegistryClient } from './registry-client.js';
import type { DependencyPlan } from './schemas.js';

export function chooseVersion(
  packument: Packument,
  range: string | undefined,
  kernelVersion: string,
): string {
  const name = packument.name;
  const versions = packument.versions ?? {};
  const rangeOf = (v: string) => {
    const pkg = pluginPackage(versions[v]!);
    return typeof pkg === 'string' ? null : pkg.kernelRange;
  };
  const exact = range ? semver.valid(range) : null;
  if (exact) {
    const v = versions[exact];
    if (!v)
      throw marketProblem(
        404,
        'ERP_MARKETPLACE_VERSION_UNKNOWN',
        'Unknown version',
        `${name}@${exact} is not in the registry.`,
      );
    if (isYanked(v))
      throw marketProblem(
        409,
        'ERP_MARKETPLACE_VERSION_YANKED',
        'Version yanked',
        `${name}@${exact} is yanked: ${v.deprecated}`,
      );
    notPlugin(name, exact, pluginPackage(v));
    if (!kernelCompatible(rangeOf(exact), kernelVersion))
      throw incompatible(name, exact, rangeOf(exact), kernelVersion);
    return exact;
  }
  const spec = range ?? '*';
  if (semver.validRange(spec) === null)
    throw marketProblem(
      400,
      'ERP_VALIDATION',
      'Invalid range',
      `range: ${spec} is not a semver range or version.`,
    );
  const candidates = Object.keys(versions).filter(
    (v) =>
      !versions[v]!.deprecated &&
      semver.satisfies(v, spec) &&
      typeof pluginPackage(versions[v]!) !== 'string',
  );
  if (!candidates.length)
    throw marketProblem(
      404,
      'ERP_MARKETPLACE_VERSION_UNKNOWN',
      'No matching version',
      `${name}@${spec}: no version that is a plugin, not deprecated and not yanked satisfies the range.`,
    );
  const compatible = candidates.filter((v) => kernelCompatible(rangeOf(v), kernelVersion));
  const chosen = semver.maxSatisfying(compatible, spec);
  if (!chosen) {
    const newest = semver.maxSatisfying(candidates, spec)!;
    throw incompatible(name, newest, rangeOf(newest), kernelVersion);
  }
  return chosen;
}

function notPlugin(name: string, version: string, pkg: unknown): void {
  if (typeof pkg === 'string')
    throw marketProblem(422, 'ERP_MARKETPLACE_NOT_A_PLUGIN', 'Not a plugin', `${name}@${version}: ${pkg}`);
}

const incompatible = (name: string, version: string, range: string | null, kernel: string) =>
  marketProblem(
    409,
    'ERP_MARKETPLACE_KERNEL_INCOMPATIBLE',
    'Plugin does not support this kernel',
    `${name}@${version} needs kernel ${range ?? '(none declared)'}; this kernel is ${kernel}.`,
  );

const conflict = (detail: string) =>
  marketProblem(409, 'ERP_MARKETPLACE_DEPENDENCY_CONFLICT', 'Plugin dependency conflict', detail);

/**
 * Walks the plugin dependencies breadth first. Requirements on a plugin the tenant runs must hold
 * for the running version; requirements on one it lacks pick one version from the registry that
 * every requirer's range accepts (the first requirer's best match, checked against the others).
 * Installed plugins that depend on the package being installed must accept its new version.
 */
export async function resolveDependencies(
  registry: RegistryClient,
  root: { name: string; version: string; dependencies: Record<string, string> },
  installed: Installation[],
  installedRanges: (i: Installation) => Record<string, string>,
  kernelVersion: string,
): Promise<DependencyPlan[]> {
  for (const other of installed) {
    if (other.package === root.name) continue;
    const range = installedRanges(other)[root.name];
    if (range && !semver.satisfies(root.version, range, { includePrerelease: true }))
      throw conflict(
        `${other.package}@${other.version} (installed) needs ${root.name} ${range}; ${root.name}@${root.version} does not satisfy it.`,
      );
  }
  const plans = new Map<string, DependencyPlan & { requirers: string[] }>();
  const queue: { by: string; name: string; range: string }[] = Object.entries(root.dependencies).map(
    ([name, range]) => ({ by: `${root.name}@${root.version}`, name, range }),
  );
  while (queue.length) {
    const { by, name, range } = queue.shift()!;
    if (name === root.name) {
      if (!semver.satisfies(root.version, range, { includePrerelease: true }))
        throw conflict(
          `${by} needs ${name} ${range}, but ${name}@${root.version} is the version being installed.`,
        );
      continue;
    }
    const seen = plans.get(name);
    if (seen) {
      if (!semver.satisfies(seen.resolved, range, { includePrerelease: true }))
        throw conflict(
          `${by} needs ${name} ${range}, but ${seen.requirers.join(' and ')} needs ${name} ${seen.range}` +
            (seen.installed
              ? ` (this tenant runs ${name}@${seen.installed}).`
              : ` (resolved to ${name}@${seen.resolved}).`),
        );
      seen.requirers.push(`${by} (${range})`);
      continue;
    }
    const have = installed.find((i) => i.package === name);
    if (have) {
      if (!semver.satisfies(have.version, range, { includePrerelease: true }))
        throw conflict(`${by} needs ${name} ${range}, but this tenant runs ${name}@${have.version}.`);
      plans.set(name, {
        package: name,
        range,
        requiredBy: by,
        installed: have.version,
        resolved: have.version,
        action: 'satisfied',
        requirers: [by],
      });
      continue;
    }
    const packument = await registry.packument(name).catch((err: { code?: string }) => {
      if (err.code === 'ERP_MARKETPLACE_PACKAGE_UNKNOWN')
        throw conflict(`${by} needs ${name} ${range}, which is not in the registry.`);
      throw err;
    });
    let version: string;
    try {
      version = chooseVersion(packument, range, kernelVersion);
    } catch (err) {
      throw conflict(`${by} needs ${name} ${range}: ${(err as Error).message}`);
    }
    plans.set(name, {
      package: name,
      range,
      requiredBy: by,
      installed: null,
      resolved: version,
      action: 'install',
      requirers: [by],
    });
    const pkg = pluginPackage(packument.versions[version]!);
    if (typeof pkg !== 'string')
      for (const [dep, depRange] of Object.entries(pkg.manifest.dependencies ?? {}))
        queue.push({ by: `${name}@${version}`, name: dep, range: depRange });
  }
  return [...plans.values()].map(({ requirers: _r, ...plan }) => plan);
}
