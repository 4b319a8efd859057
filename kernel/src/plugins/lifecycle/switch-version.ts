// Upgrade and rollback: move an installed plugin to another version. An upgrade applies the new
// version's (additive) migrations and runs its upgrade hook; a rollback returns to the previous
// version's code over the newer schema, so nothing written under the newer version is lost.
import semver from 'semver';
import { Problem } from '../../http/index.js';
import type { Installation } from '../installations.js';
import { checkDependencies, checkDependents, checkKernel } from '../resolution.js';
import { existing, loadForStep, migrate, packageOf, runHook } from './common.js';
import { recordStep } from './record.js';
import type { LifecycleDeps, StepContext } from './types.js';

export async function switchVersion(
  d: LifecycleDeps,
  step: StepContext,
  id: string,
  target: string | null,
  action: 'upgrade' | 'rollback',
): Promise<Installation> {
  const { sql } = step;
  const current = await existing(d, sql, id);
  const version = action === 'rollback' ? current.previousVersion : target;
  if (!version)
    throw new Problem(409, 'ERP_PLUGIN_NO_PREVIOUS', 'Nothing to roll back to', {
      detail: `${id} has no previous version.`,
    });
  if (action === 'upgrade' && !semver.gt(version, current.version)) {
    throw new Problem(409, 'ERP_PLUGIN_NOT_NEWER', 'Not an upgrade', {
      detail: `${id} runs ${current.version}; ${version} is not newer. Use rollback to go back.`,
    });
  }
  const plugin = await loadForStep(d, current.package, version);
  checkKernel(plugin.entry.pkg, d.kernelVersion);
  const all = await d.installations.list(sql);
  checkDependencies(plugin.entry.pkg, all);
  checkDependents(current.package, version, all, packageOf(d));
  if (action === 'upgrade') await migrate(d, plugin);
  await d.bindings.ensureForStep(plugin, sql);
  await sql.query(
    `update erp.plugin_installations set version = $3, previous_version = $4, updated_at = now()
      where tenant_id = $1 and plugin_id = $2`,
    [sql.tenantId, id, version, current.version],
  );
  if (action === 'upgrade')
    await runHook(d, step, plugin, current, 'upgrade', { from: current.version, to: version });
  await recordStep(d, step, id, action, current.version, version);
  return (await d.installations.get(sql, id))!;
}
