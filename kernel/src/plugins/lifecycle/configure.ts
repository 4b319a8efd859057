// Configure: replace the tenant's settings for the plugin, validated against its configSchema.
import { Problem } from '../../http/index.js';
import { compileValidator } from '../../validation/index.js';
import type { Installation } from '../installations.js';
import { existing, loadForStep } from './common.js';
import { recordStep } from './record.js';
import type { LifecycleDeps, StepContext } from './types.js';

export async function configure(
  d: LifecycleDeps,
  step: StepContext,
  id: string,
  config: Record<string, unknown>,
): Promise<Installation> {
  const { sql } = step;
  const current = await existing(d, sql, id);
  const plugin = await loadForStep(d, current.package, current.version);
  if (plugin.def.configSchema) {
    const errors = compileValidator(
      plugin.def.configSchema,
      'body/config',
      false,
      () => new Error('invalid config schema'),
      plugin.runtime === 'sandbox',
    )(config);
    if (errors)
      throw new Problem(400, 'ERP_VALIDATION', 'Configuration does not match the plugin\u2019s schema', {
        errors,
        detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
      });
  }
  await sql.query(
    'update erp.plugin_installations set config = $3, updated_at = now() where tenant_id = $1 and plugin_id = $2',
    [sql.tenantId, id, JSON.stringify(config)],
  );
  await recordStep(d, step, id, 'configure', current.version, current.version, { keys: Object.keys(config) });
  return (await d.installations.get(sql, id))!;
}
