// The security headers helmet recommends, computed once at start from helmet's own defaults and set
// on every reply by a synchronous hook. @fastify/helmet rebuilt them on every request, about 5% of
// a read request's CPU (tests/bench kernel-read profile); none of the defaults varies per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
  };
  helmet()({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}
