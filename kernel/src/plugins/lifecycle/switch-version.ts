// Upgrade and rollback: move an installed plugin to another version. An upgrade applies the new
// version's (additive) migrations and runs its upgrade hook; a rollback returns to the previous
// version's code over the newer schema, so nothing written under the newer version is lost. Where
// a version came from (source, runtime, integrity, signing key, consent) moves with it: an upgrade
// keeps the one it replaces as `previous_*`, a rollback swaps them back.
import semver from 'semver';
import { Problem } from '../../http/index.js';
import type { Installation, Runtime } from '../installations.js';
import { checkDependencies, checkDependents, checkKernel } from '../resolution.js';
import { existing, loadForStep, migrate, packageOf, pinnedProblem, registryOnly, runHook } from './common.js';
import { releaseDetail } from './install.js';
import { recordStep } from './record.js';
import type { LifecycleDeps, RegistryRelease, StepContext } from './types.js';

interface Origin {
  source: 'path' | 'registry';
  runtime: Runtime;
  integrity: string | null;
  keyid: string | null;
  consentHash: string | null;
}

async function previousOrigin(sql: StepContext['sql'], id: string): Promise<Partial<Origin>> {
  const row = await sql.one<Record<string, string | null>>(
    `select previous_source as source, previous_runtime as runtime, previous_integrity as integrity,
            previous_keyid as keyid, previous_consent_hash as "consentHash"
       from erp.plugin_installations where tenant_id = $1 and plugin_id = $2`,
    [sql.tenantId, id],
  );
  return (row ?? {}) as Partial<Origin>;
}

export async function switchVersion(
  d: LifecycleDeps,
  step: StepContext,
  id: string,
  target: string | null,
  action: 'upgrade' | 'rollback',
  release?: RegistryRelease,
): Promise<Installation> {
  const { sql } = step;
  const current = await existing(d, sql, id);
  const version = action === 'rollback' ? current.previousVersion : target;
  if (!version)
    throw new Problem(409, 'ERP_PLUGIN_NO_PREVIOUS', 'Nothing to roll back to', {
      detail: `${id} has no previous version.`,
    });
  if (action === 'upgrade') {
    if (current.pinned) throw pinnedProblem(id, current.version);
    if (!semver.gt(version, current.version)) {
      throw new Problem(409, 'ERP_PLUGIN_NOT_NEWER', 'Not an upgrade', {
        detail: `${id} runs ${current.version}; ${version} is not newer. Use rollback to go back.`,
      });
    }
  }
  let next: Origin;
  if (action === 'upgrade' && release) {
    const entry = d.versions.find(current.package, version, release.integrity);
    if (!entry)
      throw new Problem(404, 'ERP_PLUGIN_VERSION_UNKNOWN', 'Unknown plugin version', {
        detail: `${current.package}@${version} is not in the plugin store.`,
      });
    next = { source: 'registry', ...release };
  } else if (action === 'upgrade') {
    const entry = d.versions.find(current.package, version);
    if (current.source === 'registry' || entry?.fromRegistry) throw registryOnly(current.package, version);
    next = {
      source: 'path',
      runtime: entry ? d.runners.runtimeOf(entry) : 'in-process',
      integrity: null,
      keyid: null,
      consentHash: null,
    };
  } else {
    const prev = await previousOrigin(sql, id);
    const entry = d.versions.find(current.package, version);
    next = {
      source: prev.source ?? 'path',
      runtime: prev.runtime ?? (entry ? d.runners.runtimeOf(entry) : 'in-process'),
      integrity: prev.integrity ?? null,
      keyid: prev.keyid ?? null,
      consentHash: prev.consentHash ?? null,
    };
  }
  const plugin = await loadForStep(
    d,
    current.package,
    version,
    next.runtime,
    next.source === 'registry' ? next.integrity : null,
  );
  checkKernel(plugin.entry.pkg, d.kernelVersion);
  const all = await d.installations.list(sql);
  checkDependencies(plugin.entry.pkg, all);
  checkDependents(current.package, version, all, packageOf(d));
  if (action === 'upgrade') await migrate(d, plugin);
  await d.bindings.ensureForStep(plugin, sql);
  await sql.query(
    `update erp.plugin_installations
        set version = $3, previous_version = $4, updated_at = now(),
            previous_source = source, previous_runtime = runtime, previous_integrity = integrity,
            previous_keyid = keyid, previous_consent_hash = consent_hash,
            source = $5, runtime = $6, integrity = $7, keyid = $8, consent_hash = $9
      where tenant_id = $1 and plugin_id = $2`,
    [
      sql.tenantId,
      id,
      version,
      current.version,
      next.source,
      next.runtime,
      next.integrity,
      next.keyid,
      next.consentHash,
    ],
  );
  if (action === 'upgrade')
    await runHook(d, step, plugin, current, 'upgrade', { from: current.version, to: version });
  const detail =
    next.source === 'registry'
      ? releaseDetail(
          {
            runtime: next.runtime,
            integrity: next.integrity ?? '',
            keyid: next.keyid,
            consentHash: next.consentHash ?? '',
          },
          next.runtime,
        )
      : releaseDetail(undefined, next.runtime);
  await recordStep(d, step, id, action, current.version, version, detail);
  return (await d.installations.get(sql, id))!;
}
