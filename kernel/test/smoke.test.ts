import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';

describe('kernel smoke', () => {
  let k: TestKernel;
  beforeAll(async () => {
    k = await startTestKernel();
  });
  afterAll(async () => k?.close());

  it('is ready and lets an admin see themself', async () => {
    const ready = await k.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const t = await createTenant(k);
    const me = await k.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: t.auth },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'user', tenantId: t.tenantId, email: t.adminEmail });
  });
});
