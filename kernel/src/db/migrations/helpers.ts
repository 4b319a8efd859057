// SQL shared by migrations. The app login role is a member of APP_GROUP_ROLE, which holds the
// grants; the login role's name is configuration, the grants in migrations are not.
export const APP_GROUP_ROLE = 'erp_kernel_app';
/** The background workers' login: a member of the app group plus cross-tenant queue policies (0005). */
export const WORKER_ROLE = 'erp_kernel_worker';

/** Forced RLS with one policy for every command, USING and WITH CHECK on tenant_id. */
export function tenantTable(table: string, privileges = 'select, insert, update, delete'): string {
  return `
    alter table ${table} enable row level security;
    alter table ${table} force row level security;
    create policy tenant_isolation on ${table}
      using (tenant_id = erp.current_tenant())
      with check (tenant_id = erp.current_tenant());
    grant ${privileges} on ${table} to ${APP_GROUP_ROLE};
  `;
}
