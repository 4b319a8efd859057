// Pinning: a pinned installation stays at its version until unpinned (upgrades are refused with
// ERP_PLUGIN_PINNED by the marketplace and by the plugin host alike). Audited.
import { type AuditLog, requestAudit } from '../audit/index.js';
import { Problem } from '../http/index.js';
import type { Installation, Installations, StepContext } from '../plugins/index.js';

export async function setPinned(
  d: { installations: Installations; audit: AuditLog },
  step: StepContext,
  id: string,
  pinned: boolean,
): Promise<Installation> {
  const { sql } = step;
  const current = await d.installations.get(sql, id, true);
  if (!current)
    throw new Problem(404, 'ERP_PLUGIN_NOT_INSTALLED', 'Plugin not installed', {
      detail: `This tenant has not installed ${id}.`,
    });
  if (current.pinned !== pinned) {
    await sql.query(
      'update erp.plugin_installations set pinned = $3, updated_at = now() where tenant_id = $1 and plugin_id = $2',
      [sql.tenantId, id, pinned],
    );
    await d.audit.record(sql, {
      ...requestAudit({ id: step.requestId ?? '', ip: step.ip ?? '' }, step.principal),
      action: pinned ? 'plugin.pinned' : 'plugin.unpinned',
      resource: { type: 'plugin', id },
      change: {
        version: current.version,
        integrity: current.integrity,
        keyid: current.keyid,
        consent: current.consentHash,
      },
    });
    await d.installations.changed(sql, id);
  }
  return (await d.installations.get(sql, id))!;
}
