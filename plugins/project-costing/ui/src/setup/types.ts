// The API's shapes the setup page reads (GET /projects, /projects/:id, /cost-rates).
export interface ProjectRow {
  id: string;
  code: string;
  name: string;
  client: string | null;
  status: 'planned' | 'active' | 'closed';
  billing: string;
  currency: string;
  contractValue: string;
  startsOn: string;
  endsOn: string;
}
export interface ActivityRow {
  id: string;
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  plannedCost: string;
  progress: Array<{ asOf: string; percent: string }>;
}
export interface ProjectDetail extends ProjectRow {
  activities: ActivityRow[];
}
export interface CostRate {
  id: string;
  userId: string | null;
  role: string | null;
  rate: string;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}
/** A user of the tenant, as the kernel's user list gives them (for the person pickers). */
export interface Person {
  id: string;
  email: string;
  displayName?: string | null;
}
