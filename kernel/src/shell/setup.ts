// First run: while no tenant exists, the web shell's setup page creates the first tenant and its
// administrator. Whoever reaches the port first must not be able to claim the server, so the
// request carries a setup token that only the operator sees: `erp start` prints it in a link
// (`setup: http://…/setup#token=…`; a fragment, so it never reaches access logs or a Referer).
// The token is derived from the master secret, so every kernel instance of one installation
// accepts the same token without storing it, and it is worthless once a tenant exists.
import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { deriveKey, type Secrets } from '../config/index.js';
import { defineRoute, Problem } from '../http/index.js';
import { BootstrapError, createTenantWithAdmin, TenantsExistError } from '../iam/index.js';

export function setupToken(secrets: Secrets): string {
  return deriveKey(secrets.master, 'shell-setup-token').toString('base64url');
}

/** Whether the first-run setup is still open; once closed it stays closed (tenants are not deleted). */
export class SetupState {
  private done = false;
  constructor(private readonly pool: pg.Pool) {}

  async needed(): Promise<boolean> {
    if (this.done) return false;
    const { rowCount } = await this.pool.query('select 1 from erp.tenants limit 1');
    this.done = (rowCount ?? 0) > 0;
    return !this.done;
  }

  close(): void {
    this.done = true;
  }
}

const setupDone = () =>
  new Problem(409, 'ERP_SETUP_DONE', 'Setup is already done', {
    detail: 'A tenant exists; sign in instead.',
  });

const FIELD_OF_FLAG: Record<string, string> = {
  '--slug': 'slug',
  '--name': 'name',
  '--admin-email': 'email',
  '--admin-password': 'password',
};

/** The bootstrap speaks in CLI flags; the page names its own fields. */
function fieldProblem(err: BootstrapError): Problem {
  const [flag, ...rest] = err.message.split(' ');
  const field = FIELD_OF_FLAG[flag ?? ''];
  const message = field ? rest.join(' ') : err.message;
  return new Problem(400, 'ERP_SETUP_INVALID', 'Setup refused', {
    detail: field ? `${field} ${message}` : message,
    ...(field ? { errors: [{ field: `/body/${field}`, message }] } : {}),
  });
}

const setupBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'slug', 'name', 'email', 'password'],
  properties: {
    token: { type: 'string', minLength: 10, maxLength: 100 },
    slug: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*$' },
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

export function setupRoutes(d: { state: SetupState; owner: pg.Pool; token: string }) {
  const expected = Buffer.from(d.token);
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/setup',
      access: 'public',
      summary: 'Whether the first-run setup is open (no tenant exists yet)',
      tags: ['setup'],
      response: { type: 'object', required: ['needed'], properties: { needed: { type: 'boolean' } } },
      handler: async () => ({ needed: await d.state.needed() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/setup',
      access: 'public',
      summary:
        'First run only: create the first tenant and its administrator (needs the setup token erp start prints)',
      tags: ['setup'],
      body: setupBody,
      status: 201,
      response: {
        type: 'object',
        required: ['tenant', 'email'],
        properties: { tenant: { type: 'string' }, email: { type: 'string' } },
      },
      handler: async ({ body }) => {
        if (!(await d.state.needed())) throw setupDone();
        const given = Buffer.from(body.token);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          throw new Problem(403, 'ERP_SETUP_TOKEN_INVALID', 'Setup token is wrong', {
            detail: 'Open the setup link the server printed when it started.',
            errors: [{ field: '/body/token', message: 'does not match' }],
          });
        }
        try {
          await createTenantWithAdmin(
            d.owner,
            { slug: body.slug, name: body.name, adminEmail: body.email, adminPassword: body.password },
            { type: 'system', id: 'kernel.setup' },
            { onlyIfFirst: true },
          );
        } catch (err) {
          if (err instanceof TenantsExistError) {
            d.state.close();
            throw setupDone();
          }
          if (err instanceof BootstrapError) throw fieldProblem(err);
          throw err;
        }
        d.state.close();
        return { tenant: body.slug, email: body.email.toLowerCase() };
      },
    }),
  ];
}
