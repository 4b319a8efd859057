// OAuth clients: ids that name their tenant (the token endpoint has no session to find it from),
// optional secrets for confidential clients (kept as SHA-256, shown once) and the client
// authentication of RFC 6749 §2.3.1 (`client_secret_basic` or `client_secret_post`).
import { randomBytes } from 'node:crypto';
import { hashSecret, newSecret, secretMatches } from '../auth/index.js';
import type { Sql } from '../tenancy/index.js';

export const CLIENT_PREFIX = 'erpc_';
const SECRET_PREFIX = 'erpcs_';

/** A client id names its tenant, so the token endpoint (no credential) knows where to look. */
export function newClientId(tenantId: string): string {
  return `${CLIENT_PREFIX}${tenantId.replaceAll('-', '')}_${randomBytes(12).toString('hex')}`;
}

export function tenantOfClient(clientId: string): string | null {
  const m = /^erpc_([0-9a-f]{32})_[0-9a-f]{24}$/.exec(clientId);
  if (!m) return null;
  const h = m[1]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A new client secret and what is stored of it. */
export function newClientSecret(): { secret: string; hash: Buffer } {
  const secret = `${SECRET_PREFIX}${newSecret()}`;
  return { secret, hash: hashSecret(secret) };
}

export interface ClientCredentials {
  clientId: string | null;
  clientSecret: string | null;
  /** Both a Basic header and form credentials, or two different ids: refused (RFC 6749 §2.3). */
  conflicting: boolean;
}

/** `client_secret_basic` (form-urlencoded id and secret in a Basic header) or `client_secret_post`. */
export function clientCredentials(
  authorization: string | undefined,
  body: { client_id?: string; client_secret?: string },
): ClientCredentials {
  let basic: { id: string; secret: string } | null = null;
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (m) {
    const raw = Buffer.from(m[1]!, 'base64').toString('utf8');
    const at = raw.indexOf(':');
    if (at > 0) {
      const dec = (s: string) => {
        try {
          return decodeURIComponent(s.replaceAll('+', ' '));
        } catch {
          return s;
        }
      };
      basic = { id: dec(raw.slice(0, at)), secret: dec(raw.slice(at + 1)) };
    }
  }
  const conflicting =
    (basic !== null && body.client_secret !== undefined) ||
    (basic !== null && body.client_id !== undefined && body.client_id !== basic.id);
  return {
    clientId: basic?.id ?? body.client_id ?? null,
    clientSecret: basic?.secret ?? body.client_secret ?? null,
    conflicting,
  };
}

export interface AppRow {
  id: string;
  client_id: string;
  name: string;
  redirect_uris: string[];
  scopes: string[];
  client_secret_hash: Buffer | null;
}

export const APP_COLUMNS = 'a.id, a.client_id, a.name, a.redirect_uris, a.scopes, a.client_secret_hash';

/**
 * The app behind a client id, if the presented secret fits it: a confidential app must present
 * its secret, a public one must not present any (it proves itself with PKCE). At the consent
 * step the browser carries no secret, so `authorizing` skips the check.
 */
export async function findClient(
  sql: Sql,
  clientId: string,
  secret: string | null | undefined,
  authorizing = false,
): Promise<AppRow | null> {
  const app = await sql.one<AppRow>(
    `select ${APP_COLUMNS} from erp.oauth_apps a where a.client_id = $1 and a.revoked_at is null`,
    [clientId],
  );
  if (!app || authorizing) return app ?? null;
  if (app.client_secret_hash) return secret && secretMatches(secret, app.client_secret_hash) ? app : null;
  return secret ? null : app;
}
