// Roles live in the cluster, not in the database a dump holds: the dump's grants name the kernel's
// and the plugins' roles, and plugin dispatch needs the app role's membership in each plugin role.
// A backup records both; a restore into another cluster recreates what is missing (as NOLOGIN:
// logins get their password from the kernel, which derives it from the master secret).
import type pg from 'pg';

export interface RoleGraph {
  roles: string[];
  memberships: Array<{ role: string; member: string }>;
}

const ERP_ROLE = `rolname like 'erp\\_%'`;

export async function readRoles(client: pg.ClientBase): Promise<RoleGraph> {
  const roles = await client.query<{ rolname: string }>(
    `select rolname from pg_roles where ${ERP_ROLE} and rolname <> current_user order by rolname`,
  );
  const memberships = await client.query<{ role: string; member: string }>(
    `select g.rolname as role, u.rolname as member
       from pg_auth_members m join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member
      where g.${ERP_ROLE} and u.${ERP_ROLE} order by 1, 2`,
  );
  return { roles: roles.rows.map((r) => r.rolname), memberships: memberships.rows };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the roles and memberships the cluster lacks; returns how many roles it created. */
export async function ensureRoleGraph(client: pg.ClientBase, graph: RoleGraph): Promise<number> {
  const have = new Set((await readRoles(client)).roles);
  const { rows } = await client.query<{ u: string }>('select current_user as u');
  have.add(rows[0]!.u);
  let created = 0;
  for (const role of graph.roles.filter((r) => !have.has(r))) {
    await client.query(`create role ${ident(role)} nologin nosuperuser nobypassrls`);
    created++;
  }
  const now = new Set((await readRoles(client)).memberships.map((m) => `${m.role}\n${m.member}`));
  for (const m of graph.memberships)
    if (!now.has(`${m.role}\n${m.member}`))
      await client.query(`grant ${ident(m.role)} to ${ident(m.member)}`);
  return created;
}
