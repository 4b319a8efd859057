// Enable and disable: a disabled plugin's routes answer 404 and its subscriptions and jobs do
// nothing for the tenant; its data stays. Refused when it would break a dependent or dependency.
import type { Installation } from '../installations.js';
import { checkDependencies, checkDependents } from '../resolution.js';
import { runtimeFor, runtimeOf } from '../runner/index.js';
import { existing, packageOf } from './common.js';
import { recordStep } from './record.js';
import type { LifecycleDeps, StepContext } from './types.js';

export async function setEnabled(
  d: LifecycleDeps,
  step: StepContext,
  id: string,
  enabled: boolean,
): Promise<Installation> {
  const { sql } = step;
  const current = await existing(d, sql, id);
  const status = enabled ? 'enabled' : 'disabled';
  if (current.status === status) return current;
  const all = await d.installations.list(sql);
  if (enabled) {
    const pkg = packageOf(d)(current);
    if (pkg) {
      d.runners.admit(
        pkg,
        runtimeFor(current) ?? runtimeOf(d.versions.find(current.package, current.version)!),
      );
      checkDependencies(pkg, all);
    }
  } else {
    checkDependents(
      current.package,
      null,
      all.filter((i) => i.status === 'enabled'),
      packageOf(d),
    );
  }
  await sql.query(
    'update erp.plugin_installations set status = $3, updated_at = now() where tenant_id = $1 and plugin_id = $2',
    [sql.tenantId, id, status],
  );
  await recordStep(d, step, id, enabled ? 'enable' : 'disable', current.version, current.version);
  return (await d.installations.get(sql, id))!;
}
