// The API's shapes the setup page reads (GET /projects, /projects/:id, /cost-rates): the server's own
// types, imported type-only (nothing of the server is bundled).
import type { CostRate as EngineRate } from '../../../src/engine/index.js';
import type { ActivityRow, ProjectRow } from '../../../src/projects/index.js';

export type { ActivityRow, ProjectRow };
export interface ProjectDetail extends ProjectRow {
  activities: ActivityRow[];
}
export type CostRate = EngineRate & { id: string };
/** A user of the tenant, as the kernel's user list gives them (for the person pickers). */
export interface Person {
  id: string;
  email: string;
  displayName?: string | null;
}
