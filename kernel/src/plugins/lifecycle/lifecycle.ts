// Install, upgrade, roll back, enable, disable, configure and uninstall a plugin for ONE tenant,
// each in that tenant's unit of work: either the installation row, its history entry, its audit
// entry, the hook's effects and the change signal all commit, or none does and the previous
// version keeps serving. Schema migrations are global and additive (see sql-guard.ts), applied
// first on the owner connection; a failed migration is rolled back entirely and refuses the step.
// One file per step; this class is the door the routes use.
import type { Sql } from '../../tenancy/index.js';
import type { TableImpact } from '../database.js';
import type { Installation } from '../installations.js';
import { configure } from './configure.js';
import { install } from './install.js';
import { setEnabled } from './set-enabled.js';
import { switchVersion } from './switch-version.js';
import type { LifecycleDeps, RegistryRelease, StepContext } from './types.js';
import { impact, uninstall } from './uninstall.js';

export class PluginLifecycle {
  constructor(private readonly d: LifecycleDeps) {}

  install(
    step: StepContext,
    name: string,
    version?: string,
    release?: RegistryRelease,
  ): Promise<Installation> {
    return install(this.d, step, name, version, release);
  }

  upgrade(step: StepContext, id: string, version: string, release?: RegistryRelease): Promise<Installation> {
    return switchVersion(this.d, step, id, version, 'upgrade', release);
  }

  rollback(step: StepContext, id: string): Promise<Installation> {
    return switchVersion(this.d, step, id, null, 'rollback');
  }

  setEnabled(step: StepContext, id: string, enabled: boolean): Promise<Installation> {
    return setEnabled(this.d, step, id, enabled);
  }

  configure(step: StepContext, id: string, config: Record<string, unknown>): Promise<Installation> {
    return configure(this.d, step, id, config);
  }

  impact(sql: Sql, id: string): Promise<{ plugin: string; version: string; tables: TableImpact[] }> {
    return impact(this.d, sql, id);
  }

  uninstall(
    step: StepContext,
    id: string,
    purge: boolean,
  ): Promise<{ purged: TableImpact[]; kept: TableImpact[] }> {
    return uninstall(this.d, step, id, purge);
  }
}
