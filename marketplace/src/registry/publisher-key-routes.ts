// The registry's publisher-key routes, so partners register keys with their ordinary npm login and
// any kernel (embedded or pointed at REGISTRY_URL) can look a key up:
//   POST /-/erp/v1/publisher-keys                 {publicKey, expiresAt?}  (logged in)  → 201 record
//   GET  /-/erp/v1/publisher-keys?owner=NAME                                            → {keys}
//   GET  /-/erp/v1/publisher-keys/:keyid                                                → record | 404
//   POST /-/erp/v1/publisher-keys/:keyid/expire   {at?}     (the key's owner)           → record
//   POST /-/erp/v1/publisher-keys/:keyid/revoke   {reason?} (the key's owner)           → record
import { PUBLISHER_KEYS_PATH } from '@erp/sdk/marketplace';
import { MarketplaceError } from '../errors.js';
import type { PublisherKeyStore } from '../publisher-signatures/index.js';
import { type ExpressApp, handle, type RegistryRequest, readJsonBody, sendJson, userOf } from './http.js';

const BODY_LIMIT = 64 * 1024;

function requireUser(req: RegistryRequest): string {
  const user = userOf(req);
  if (!user) throw new MarketplaceError('login_required', 'log in to the registry (npm login) first', 401);
  return user;
}

async function objectBody(req: RegistryRequest): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req, BODY_LIMIT);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MarketplaceError('body_invalid', 'request body: a JSON object is required');
  }
  return body as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MarketplaceError('body_invalid', `${field}: a string is required`);
  return value;
}

export function registerPublisherKeyRoutes(app: ExpressApp, keys: PublisherKeyStore): void {
  app.post(
    PUBLISHER_KEYS_PATH,
    handle(async (req, res) => {
      const user = requireUser(req);
      const body = await objectBody(req);
      const publicKey = optionalString(body, 'publicKey');
      if (!publicKey) throw new MarketplaceError('body_invalid', 'publicKey: required');
      sendJson(res, 201, await keys.register(user, publicKey, optionalString(body, 'expiresAt') ?? null));
    }),
  );
  app.get(
    PUBLISHER_KEYS_PATH,
    handle(async (req, res) => {
      const owner = typeof req.query.owner === 'string' ? req.query.owner : undefined;
      sendJson(res, 200, { keys: await keys.list(owner) });
    }),
  );
  app.get(
    `${PUBLISHER_KEYS_PATH}/:keyid`,
    handle(async (req, res) => {
      const record = await keys.get(req.params.keyid ?? '');
      if (!record)
        throw new MarketplaceError('publisher_key_unknown', `key ${req.params.keyid} is not registered`, 404);
      sendJson(res, 200, record);
    }),
  );
  app.post(
    `${PUBLISHER_KEYS_PATH}/:keyid/expire`,
    handle(async (req, res) => {
      const user = requireUser(req);
      const body = await objectBody(req);
      sendJson(res, 200, await keys.expire(req.params.keyid ?? '', user, optionalString(body, 'at')));
    }),
  );
  app.post(
    `${PUBLISHER_KEYS_PATH}/:keyid/revoke`,
    handle(async (req, res) => {
      const user = requireUser(req);
      const body = await objectBody(req);
      sendJson(res, 200, await keys.revoke(req.params.keyid ?? '', user, optionalString(body, 'reason')));
    }),
  );
}
