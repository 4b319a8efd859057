// The web shell's refresh token lives in a cookie the page's scripts cannot read (HttpOnly), that
// the browser sends only to the refresh route (Path) and never on a request started by another
// site (SameSite=Strict). The access token stays in the tab's memory, so a script injected into a
// plugin's frame or a page left open finds no long-lived credential to steal, and a reload signs in
// again through this cookie. Other clients (CLI, integrations) keep receiving the token in the body.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REFRESH_COOKIE = 'erp_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth/refresh';

function attributes(request: FastifyRequest, maxAge: number): string {
  // Secure whenever the client reached us over TLS (directly or via a trusted proxy); a plain
  // http://127.0.0.1 development server would otherwise never get the cookie back.
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `Path=${REFRESH_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

export function setRefreshCookie(request: FastifyRequest, reply: FastifyReply, token: string, ttl: number) {
  reply.header('set-cookie', `${REFRESH_COOKIE}=${token}; ${attributes(request, ttl)}`);
  reply.header('cache-control', 'no-store');
}

export function clearRefreshCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.header('set-cookie', `${REFRESH_COOKIE}=; ${attributes(request, 0)}`);
}

/** The cookie's value; tokens are base64url, so no decoding is needed (a malformed one is refused later). */
export function readRefreshCookie(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === REFRESH_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}
