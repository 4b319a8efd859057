// /api/v1/iam/users: list, view, create, change, disable, unlock, and role assignments; an
// administrator's credential resets are in credential-routes.ts. Every action on an existing user
// passes the one gate in act-on-user.ts.
import { requestAudit } from '../audit/index.js';
import {
  accountKey,
  type CredentialThrottle,
  hashPassword,
  passwordWeakness,
  type Sessions,
} from '../auth/index.js';
import { defineRoute, notFound, Problem, schemas } from '../http/index.js';
import type { Authorizer } from '../rbac/index.js';
import type { Sql } from '../tenancy/index.js';
import { actOnUser } from './act-on-user.js';
import { credentialRoutes } from './credential-routes.js';
import { requireUserPrincipal } from './dominance.js';
import { checkGrants } from './grants.js';
import { lockTenantIam, requireAdminRemains } from './last-admin.js';
import * as s from './schemas.js';
import type { IamCradle } from './types.js';

// `locked`: the credential throttle is refusing sign-ins to the account from some address now
// (auth/throttle.ts); there is no lock column any more. Keep identical to the bench's copy in
// tests/bench/src/servers/bare-read-server.ts.
const userSelect = (throttle: CredentialThrottle) => `
  select u.id, u.email, u.display_name as "displayName", u.status, u.totp_enabled as "mfaEnabled",
         ${throttle.throttledSql('u.tenant_id', 'u.email')} as locked, u.created_at as "createdAt",
         coalesce(array(select ur.role_id::text from erp.user_roles ur
                         where ur.tenant_id = u.tenant_id and ur.user_id = u.id order by ur.role_id), '{}') as roles
    from erp.users u`;

async function loadUser(sql: Sql, throttle: CredentialThrottle, id: string) {
  const row = await sql.one(`${userSelect(throttle)} where u.tenant_id = $1 and u.id = $2`, [
    sql.tenantId,
    id,
  ]);
  if (!row) throw notFound('User');
  return row;
}

async function rolePermissions(sql: Sql, roleIds: readonly string[]): Promise<string[]> {
  if (!roleIds.length) return [];
  const rows = await sql.query<{ id: string; permissions: string[] }>(
    'select id, permissions from erp.roles where tenant_id = $1 and id = any($2::uuid[])',
    [sql.tenantId, roleIds],
  );
  if (rows.length !== roleIds.length) throw notFound('Role');
  return rows.flatMap((r) => r.permissions);
}

const disabled = (sessions: Sessions, authorizer: Authorizer) => async (sql: Sql, id: string) => {
  await sessions.revokeAllOfUser(sql, id, 'user-disabled');
  await authorizer.changed(sql);
};

export const userRoutes = [
  ...credentialRoutes,
  defineRoute({
    method: 'GET',
    url: '/api/v1/iam/users',
    access: { permission: 'iam.users.read' },
    summary: 'List users',
    tags: ['iam'],
    query: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...schemas.pageQuery.properties,
        q: { type: 'string', maxLength: 100, description: 'Filter by email or display name (contains)' },
        status: { type: 'string', enum: ['active', 'disabled'] },
      },
    },
    response: s.userList,
    handler: async ({ sql, query, scope }) => {
      const { throttle } = scope.cradle as IamCradle;
      const filter = `where u.tenant_id = $1 and ($2::text is null or u.email ilike '%' || $2 || '%' or u.display_name ilike '%' || $2 || '%')
                        and ($3::text is null or u.status = $3)`;
      const params = [sql.tenantId, query.q ?? null, query.status ?? null];
      const items = await sql.query(`${userSelect(throttle)} ${filter} order by u.email limit $4 offset $5`, [
        ...params,
        query.limit,
        query.offset,
      ]);
      const total = await sql.one<{ n: number }>(
        `select count(*)::int as n from erp.users u ${filter}`,
        params,
      );
      return { items, total: total?.n ?? 0 };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/iam/users/:id',
    access: { permission: 'iam.users.read' },
    summary: 'View a user',
    tags: ['iam'],
    params: schemas.idParams,
    response: s.user,
    handler: async ({ sql, params, scope }) => loadUser(sql, (scope.cradle as IamCradle).throttle, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/users',
    access: { permission: 'iam.users.write' },
    summary: 'Create a user (optionally with roles)',
    tags: ['iam'],
    body: s.createUserBody,
    response: s.user,
    status: 201,
    handler: async ({ sql, body, principal, scope, request }) => {
      const { permissions, authorizer, audit, throttle } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      const attempt = { action: 'iam.user.create', resource: { type: 'user', id: 'new' } };
      // A user made by an API key would outlive the key and keep its power.
      await requireUserPrincipal(sql, actor, attempt);
      const email = body.email.toLowerCase();
      const weak = passwordWeakness(body.password, email);
      if (weak) {
        throw new Problem(400, 'ERP_PASSWORD_WEAK', 'Password too weak', {
          detail: `password ${weak}`,
          errors: [{ field: '/body/password', message: weak }],
        });
      }
      const roleIds = body.roleIds ?? [];
      await checkGrants(
        sql,
        actor,
        attempt,
        await rolePermissions(sql, roleIds),
        '/body/roleIds',
        permissions,
      );
      const row = await sql.one<{ id: string }>(
        `insert into erp.users (tenant_id, email, display_name, password_hash) values ($1, $2, $3, $4)
         on conflict (tenant_id, email) do nothing returning id`,
        [sql.tenantId, email, body.displayName ?? '', await hashPassword(body.password)],
      );
      if (!row) {
        throw new Problem(409, 'ERP_USER_EXISTS', 'User already exists', {
          errors: [{ field: '/body/email', message: 'is already used by another user of this tenant' }],
        });
      }
      for (const roleId of roleIds) {
        await sql.query(
          'insert into erp.user_roles (tenant_id, user_id, role_id, granted_by) values ($1, $2, $3, $4)',
          [sql.tenantId, row.id, roleId, principal.userId],
        );
      }
      if (roleIds.length) await authorizer.changed(sql);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.user.created',
        resource: { type: 'user', id: row.id },
        change: { after: { email, displayName: body.displayName ?? '', status: 'active', roleIds } },
      });
      return loadUser(sql, throttle, row.id);
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/iam/users/:id',
    access: { permission: 'iam.users.write' },
    summary:
      'Change a user\u2019s display name or status (disabling ends their sessions). Needs every permission the user holds',
    tags: ['iam'],
    params: schemas.idParams,
    body: s.updateUserBody,
    response: s.user,
    handler: async ({ sql, params, body, principal, scope, request }) => {
      const { sessions, authorizer, audit, throttle } = scope.cradle as IamCradle;
      if (body.status === 'disabled' && params.id === principal.userId) {
        throw new Problem(409, 'ERP_SELF_DISABLE', 'You cannot disable yourself');
      }
      const actor = { principal, request, audit };
      const attempt = await actOnUser(sql, actor, params.id, 'iam.user.update');
      if (body.status === 'disabled') await requireAdminRemains(sql, actor, attempt, { userId: params.id });
      const row = await sql.one<{
        before_name: string;
        before_status: string;
        display_name: string;
        status: string;
      }>(
        `with prev as (select display_name, status from erp.users where tenant_id = $1 and id = $2 for update)
         update erp.users u set display_name = coalesce($3, u.display_name), status = coalesce($4, u.status), updated_at = now()
           from prev where u.tenant_id = $1 and u.id = $2
         returning prev.display_name as before_name, prev.status as before_status, u.display_name, u.status`,
        [sql.tenantId, params.id, body.displayName ?? null, body.status ?? null],
      );
      if (!row) throw notFound('User');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.user.updated',
        resource: { type: 'user', id: params.id },
        change: {
          before: { displayName: row.before_name, status: row.before_status },
          after: { displayName: row.display_name, status: row.status },
        },
      });
      if (body.status === 'disabled') await disabled(sessions, authorizer)(sql, params.id);
      if (body.status === 'active') await authorizer.changed(sql);
      return loadUser(sql, throttle, params.id);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/users/:id/unlock',
    access: { permission: 'iam.users.write' },
    summary: 'Clear a lockout after failed sign-ins (needs every permission the user holds)',
    tags: ['iam'],
    params: schemas.idParams,
    body: schemas.noBody,
    response: s.user,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { audit, throttle } = scope.cradle as IamCradle;
      await actOnUser(sql, { principal, request, audit }, params.id, 'iam.user.unlock');
      const row = await sql.one<{ email: string; locked: boolean }>(
        `select email, ${throttle.throttledSql('tenant_id', 'email')} as locked from erp.users
          where tenant_id = $1 and id = $2`,
        [sql.tenantId, params.id],
      );
      if (!row) throw notFound('User');
      // No account is locked: sign-in failures are throttled (auth/throttle.ts); unlocking forgets
      // the account's counts from every address, in this transaction.
      await throttle.clearAccount(accountKey(sql.tenantId, row.email), sql);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.user.unlocked',
        resource: { type: 'user', id: params.id },
        change: { wasThrottled: row.locked },
      });
      return loadUser(sql, throttle, params.id);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/users/:id/sessions/revoke',
    access: { permission: 'iam.sessions.write' },
    summary: 'Sign a user out everywhere (needs every permission the user holds)',
    tags: ['iam'],
    params: schemas.idParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { sessions, audit } = scope.cradle as IamCradle;
      await actOnUser(sql, { principal, request, audit }, params.id, 'iam.user.sessions-revoke');
      await sessions.revokeAllOfUser(sql, params.id, 'admin-revoked');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.user.sessions-revoked',
        resource: { type: 'user', id: params.id },
      });
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/iam/users/:id/roles/:roleId',
    access: { permission: 'iam.roles.write' },
    summary:
      'Assign a role to a user (effective on the user\u2019s next request); needs every permission the role holds',
    tags: ['iam'],
    params: s.assignmentParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { permissions, authorizer, audit } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      // Giving a stronger user a role is still acting on them (the same gate as every other action).
      const attempt = await actOnUser(sql, actor, params.id, 'iam.role.assign');
      await checkGrants(
        sql,
        actor,
        attempt,
        await rolePermissions(sql, [params.roleId]),
        '/params/roleId',
        permissions,
      );
      const added = await sql.one(
        `insert into erp.user_roles (tenant_id, user_id, role_id, granted_by) values ($1, $2, $3, $4)
         on conflict do nothing returning role_id`,
        [sql.tenantId, params.id, params.roleId, principal.userId],
      );
      await authorizer.changed(sql);
      if (added) {
        await audit.record(sql, {
          ...requestAudit(request, principal),
          action: 'iam.role.assigned',
          resource: { type: 'user', id: params.id },
          change: { roleId: params.roleId },
        });
      }
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/iam/users/:id/roles/:roleId',
    access: { permission: 'iam.roles.write' },
    summary:
      'Remove a role from a user (needs every permission the user holds; never from the last administrator)',
    tags: ['iam'],
    params: s.assignmentParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { authorizer, audit } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      await lockTenantIam(sql);
      const assigned = await sql.one(
        'select 1 from erp.user_roles where tenant_id = $1 and user_id = $2 and role_id = $3',
        [sql.tenantId, params.id, params.roleId],
      );
      if (!assigned) throw notFound('Role assignment');
      const attempt = await actOnUser(sql, actor, params.id, 'iam.role.unassign');
      await requireAdminRemains(sql, actor, attempt, {
        assignment: { userId: params.id, roleId: params.roleId },
      });
      const row = await sql.one(
        'delete from erp.user_roles where tenant_id = $1 and user_id = $2 and role_id = $3 returning role_id',
        [sql.tenantId, params.id, params.roleId],
      );
      if (!row) throw notFound('Role assignment');
      await authorizer.changed(sql);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.role.unassigned',
        resource: { type: 'user', id: params.id },
        change: { roleId: params.roleId },
      });
    },
  }),
];
