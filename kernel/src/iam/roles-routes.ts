// /api/v1/iam/roles and the permission catalogue.
import { requestAudit } from '../audit/index.js';
import { defineRoute, notFound, Problem, schemas } from '../http/index.js';
import { requireDominance } from './dominance.js';
import { checkGrants } from './grants.js';
import { lockTenantIam, requireAdminRemains } from './last-admin.js';
import * as s from './schemas.js';
import type { IamCradle } from './types.js';

const roleSelect = 'select id, name, description, permissions, builtin from erp.roles';

export const roleRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/iam/permissions',
    access: { permission: 'iam.roles.read' },
    summary: 'The permission catalogue (kernel and installed plugins)',
    tags: ['iam'],
    response: s.permissionCatalogue,
    handler: async ({ scope }) => ({ items: (scope.cradle as IamCradle).permissions.list() }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/iam/roles',
    access: { permission: 'iam.roles.read' },
    summary: 'List roles',
    tags: ['iam'],
    response: s.roleList,
    handler: async ({ sql }) => ({
      items: await sql.query(`${roleSelect} where tenant_id = $1 order by name`, [sql.tenantId]),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/iam/roles/:id',
    access: { permission: 'iam.roles.read' },
    summary: 'View a role',
    tags: ['iam'],
    params: schemas.idParams,
    response: s.role,
    handler: async ({ sql, params }) => {
      const row = await sql.one(`${roleSelect} where tenant_id = $1 and id = $2`, [sql.tenantId, params.id]);
      if (!row) throw notFound('Role');
      return row;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/roles',
    access: { permission: 'iam.roles.write' },
    summary: 'Create a role',
    tags: ['iam'],
    body: s.createRoleBody,
    response: s.role,
    status: 201,
    handler: async ({ sql, body, principal, scope, request }) => {
      const { permissions, audit } = scope.cradle as IamCradle;
      await checkGrants(
        sql,
        { principal, request, audit },
        { action: 'iam.role.create', resource: { type: 'role', id: 'new' } },
        body.permissions,
        '/body/permissions',
        permissions,
      );
      const row = await sql.one<{ id: string; name: string; description: string; permissions: string[] }>(
        `insert into erp.roles (tenant_id, name, description, permissions) values ($1, $2, $3, $4)
         on conflict (tenant_id, name) do nothing
         returning id, name, description, permissions, builtin`,
        [sql.tenantId, body.name, body.description ?? '', body.permissions],
      );
      if (!row) {
        throw new Problem(409, 'ERP_ROLE_EXISTS', 'Role already exists', {
          errors: [{ field: '/body/name', message: 'is already used by another role of this tenant' }],
        });
      }
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.role.created',
        resource: { type: 'role', id: row.id },
        change: { after: { name: row.name, description: row.description, permissions: row.permissions } },
      });
      return row;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/iam/roles/:id',
    access: { permission: 'iam.roles.write' },
    summary:
      'Change a role (effective on its holders\u2019 next request); needs every permission it has and will have',
    tags: ['iam'],
    params: schemas.idParams,
    body: s.updateRoleBody,
    response: s.role,
    handler: async ({ sql, params, body, principal, scope, request }) => {
      const { permissions, authorizer, audit } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      const attempt = { action: 'iam.role.update', resource: { type: 'role', id: params.id } };
      await lockTenantIam(sql);
      const current = await sql.one<{
        builtin: boolean;
        name: string;
        description: string;
        permissions: string[];
      }>(
        'select builtin, name, description, permissions from erp.roles where tenant_id = $1 and id = $2 for update',
        [sql.tenantId, params.id],
      );
      if (!current) throw notFound('Role');
      if (current.builtin && body.permissions) {
        throw new Problem(409, 'ERP_ROLE_BUILTIN', 'Built-in role', {
          detail: 'The permissions of a built-in role cannot be changed.',
        });
      }
      if (body.permissions)
        await checkGrants(sql, actor, attempt, body.permissions, '/body/permissions', permissions);
      // Changing what a role's holders may do needs all of it, what it grants now included.
      await requireDominance(sql, actor, attempt, current.permissions, 'this role');
      if (body.permissions && !body.permissions.includes('*'))
        await requireAdminRemains(sql, actor, attempt, { roleId: params.id });
      const row = await sql.one<{ name: string; description: string; permissions: string[] }>(
        `update erp.roles set name = coalesce($3, name), description = coalesce($4, description),
                permissions = coalesce($5, permissions), updated_at = now()
          where tenant_id = $1 and id = $2 returning id, name, description, permissions, builtin`,
        [sql.tenantId, params.id, body.name ?? null, body.description ?? null, body.permissions ?? null],
      );
      await authorizer.changed(sql);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.role.updated',
        resource: { type: 'role', id: params.id },
        change: {
          before: { name: current.name, description: current.description, permissions: current.permissions },
          after: { name: row!.name, description: row!.description, permissions: row!.permissions },
        },
      });
      return row;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/iam/roles/:id',
    access: { permission: 'iam.roles.write' },
    summary:
      'Delete a role (its assignments go with it); needs every permission it has, never the last administrator\u2019s',
    tags: ['iam'],
    params: schemas.idParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { authorizer, audit } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      const attempt = { action: 'iam.role.delete', resource: { type: 'role', id: params.id } };
      await lockTenantIam(sql);
      const row = await sql.one<{
        builtin: boolean;
        name: string;
        description: string;
        permissions: string[];
      }>(
        'select builtin, name, description, permissions from erp.roles where tenant_id = $1 and id = $2 for update',
        [sql.tenantId, params.id],
      );
      if (!row) throw notFound('Role');
      if (row.builtin)
        throw new Problem(409, 'ERP_ROLE_BUILTIN', 'Built-in role', {
          detail: 'A built-in role cannot be deleted.',
        });
      await requireDominance(sql, actor, attempt, row.permissions, 'this role');
      await requireAdminRemains(sql, actor, attempt, { roleId: params.id });
      await sql.query('delete from erp.roles where tenant_id = $1 and id = $2', [sql.tenantId, params.id]);
      await authorizer.changed(sql);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.role.deleted',
        resource: { type: 'role', id: params.id },
        change: { before: { name: row.name, description: row.description, permissions: row.permissions } },
      });
    },
  }),
];
