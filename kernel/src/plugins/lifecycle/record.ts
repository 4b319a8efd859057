// The record every step leaves in its unit of work: a history row, an audit entry naming the
// user, the kernel.plugin.changed announcement (every instance re-binds from it) and the signal
// that drops cached installation maps. After commit this instance re-binds at once.
import type { Json } from '@erp/sdk';
import type { Action, LifecycleDeps, StepContext } from './types.js';

/** The `action` of kernel.plugin.changed (events/kernel-events.ts) for each announced step. */
const ANNOUNCED = {
  install: 'installed',
  upgrade: 'upgraded',
  rollback: 'rolled-back',
  enable: 'enabled',
  disable: 'disabled',
  uninstall: 'removed',
} as const;

export async function recordStep(
  d: Pick<LifecycleDeps, 'audit' | 'events' | 'installations' | 'bindings'>,
  step: StepContext,
  id: string,
  action: Action,
  from: string | null,
  to: string | null,
  detail: Json = {},
): Promise<void> {
  const { sql, principal } = step;
  await sql.query(
    `insert into erp.plugin_history (tenant_id, plugin_id, action, from_version, to_version, actor, detail)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [sql.tenantId, id, action, from, to, principal.userId, JSON.stringify(detail)],
  );
  await d.audit.record(sql, {
    actor: { kind: principal.kind, userId: principal.userId, apiKeyId: principal.apiKeyId, plugin: null },
    action: `plugin.${action}`,
    resource: 'plugin',
    resourceId: id,
    data: { from, to, ...(detail as object) },
    requestId: step.requestId,
    ip: step.ip,
  });
  // Configuration is not a change of the tenant's plugin set; every other step is announced.
  if (action !== 'configure') {
    await d.events.publish(sql, 'kernel', 'plugin.changed', {
      tenantId: sql.tenantId,
      plugin: id,
      action: ANNOUNCED[action],
      version: (to ?? from)!,
    });
    sql.afterCommit(() => void d.bindings.reconcile());
  }
  await d.installations.changed(sql, id);
}
