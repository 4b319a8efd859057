// Refusals an attacker can repeat at will are audited without letting them flood the chain: a
// kernel route answered 403 ERP_FORBIDDEN is an entry naming the caller, the route and the missing
// permission (no URL, query or credential); repeats of the same refusal in the window become one
// count; a tenant's immediate entries per window are capped and the rest summed in one entry.
// Windows are not waited for: flush() closes them (no timing in these tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusalAudit } from '../src/audit/index.js';
import { call, expectProblem, userWith } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';

interface Entry {
  actor_type: string;
  actor_id: string;
  resource_type: string;
  resource_id: string;
  client_ip: string;
  change: Record<string, unknown>;
}

describe('refusal audit', () => {
  let k: TestKernel;

  beforeAll(async () => {
    k = await startTestKernel({ ERP_AUDIT_REFUSALS_PER_TENANT: '3' });
  });
  afterAll(async () => k?.close());

  const entries = async (tenantId: string, action: string) =>
    (
      await k.superuser.query<Entry>(
        `select actor_type, actor_id, resource_type, resource_id, client_ip, change::jsonb as change from (
           select tenant_id, actor_type, actor_id, resource_type, resource_id, client_ip, change, action, occurred_at
             from erp.audit_pending
           union all
           select tenant_id, actor_type, actor_id, resource_type, resource_id, client_ip, change, action, occurred_at
             from erp.audit_entries) e
          where tenant_id = $1 and action = $2 order by occurred_at`,
        [tenantId, action],
      )
    ).rows;

  it('a forbidden admin route is audited once with who, route and permission; repeats become a count', async () => {
    const t = await createTenant(k);
    const nobody = await userWith(k, t, []);
    for (let i = 0; i < 10; i++) {
      expectProblem(
        await call(k, 'GET', '/api/v1/iam/users?q=hunter2-looked-for', { auth: nobody.auth }),
        403,
        'ERP_FORBIDDEN',
      );
    }
    const first = await entries(t.tenantId, 'kernel.access.forbidden');
    expect(first).toEqual([
      {
        actor_type: 'user',
        actor_id: nobody.id,
        resource_type: 'route',
        resource_id: 'GET /api/v1/iam/users',
        client_ip: '127.0.0.1',
        change: { code: 'ERP_FORBIDDEN', permission: 'iam.users.read' },
      },
    ]);

    await k.container.cradle.refusalAudit.flush();
    const all = await entries(t.tenantId, 'kernel.access.forbidden');
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({
      actor_id: nobody.id,
      resource_id: 'GET /api/v1/iam/users',
      change: { code: 'ERP_FORBIDDEN', permission: 'iam.users.read', repeated: 9, windowSeconds: 60 },
    });
    // Neither the query string nor the credential is in any entry.
    const text = JSON.stringify(all);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(nobody.accessToken);
  });

  it('a window that ends closes its count, and the next refusal of the kind is recorded in full again', async () => {
    const t = await createTenant(k);
    let clock = 1_000_000;
    const { tenantTx, audit } = k.container.cradle;
    const refusals = new RefusalAudit(
      { tenantTx, audit },
      { windowMs: 60_000, perTenant: 2, now: () => clock },
    );
    const refusal = (route: string, n: number) => ({
      tenantId: t.tenantId,
      kind: route,
      entry: {
        actor: { type: 'user' as const, id: t.adminId },
        action: 'kernel.access.forbidden',
        resource: { type: 'route', id: route },
        change: { code: 'ERP_FORBIDDEN', attempt: n },
      },
    });
    await refusals.report(refusal('GET /a', 1));
    await refusals.report(refusal('GET /a', 2));
    await refusals.report(refusal('GET /a', 3));
    await refusals.report(refusal('GET /b', 1));
    await refusals.report(refusal('GET /c', 1)); // over the budget of 2
    clock += 60_000; // both windows are over
    await refusals.report(refusal('GET /a', 4));
    await refusals.settled();
    // The closing count and the new entry are written concurrently: compare without order.
    const changes = (await entries(t.tenantId, 'kernel.access.forbidden')).map((e) => [
      e.resource_id,
      e.change,
    ]);
    expect(changes).toHaveLength(4);
    expect(changes).toEqual(
      expect.arrayContaining([
        ['GET /a', { code: 'ERP_FORBIDDEN', attempt: 1 }],
        ['GET /b', { code: 'ERP_FORBIDDEN', attempt: 1 }],
        ['GET /a', { code: 'ERP_FORBIDDEN', attempt: 3, repeated: 2, windowSeconds: 60 }],
        ['GET /a', { code: 'ERP_FORBIDDEN', attempt: 4 }],
      ]),
    );
    expect((await entries(t.tenantId, 'audit.refusals.suppressed')).map((e) => e.change)).toEqual([
      { suppressed: 1, windowSeconds: 60 },
    ]);
    await refusals.close();
  });

  it('a tenant gets at most its budget of entries per window; the rest is one count', async () => {
    const t = await createTenant(k);
    const nobody = await userWith(k, t, []);
    const routes: Array<[Parameters<typeof call>[1], string]> = [
      ['GET', '/api/v1/iam/users'],
      ['GET', '/api/v1/iam/roles'],
      ['GET', '/api/v1/iam/api-keys'],
      ['GET', '/api/v1/tenant/outbound-policy'],
      ['GET', '/api/v1/plugins'],
    ];
    for (const [method, url] of routes) {
      expectProblem(await call(k, method, url, { auth: nobody.auth }), 403, 'ERP_FORBIDDEN');
    }
    const immediate = await entries(t.tenantId, 'kernel.access.forbidden');
    expect(immediate.map((e) => e.resource_id)).toEqual(routes.slice(0, 3).map(([m, u]) => `${m} ${u}`));
    await k.container.cradle.refusalAudit.flush();
    expect(await entries(t.tenantId, 'kernel.access.forbidden')).toHaveLength(3);
    expect(await entries(t.tenantId, 'audit.refusals.suppressed')).toEqual([
      expect.objectContaining({
        actor_type: 'system',
        resource_type: 'tenant',
        change: { suppressed: 2, windowSeconds: 60 },
      }),
    ]);
    // Another tenant has its own budget.
    const other = await createTenant(k);
    const stranger = await userWith(k, other, []);
    expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: stranger.auth }), 403, 'ERP_FORBIDDEN');
    expect(await entries(other.tenantId, 'kernel.access.forbidden')).toHaveLength(1);
  });
});
