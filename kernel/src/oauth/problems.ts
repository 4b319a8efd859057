// OAuth refusals as RFC 9457 problems that also carry RFC 6749 §5.2's `error` and
// `error_description`, so standard OAuth clients read them.
import { Problem } from '../http/index.js';

/** oauth2-server errors (or our own of the same shape): its `name` is the RFC 6749 error code. */
export function oauthProblem(err: unknown, toClient = true): Problem {
  const e = err as { code?: number; name?: string; message?: string };
  const status = e.code === 401 ? 401 : e.code === 503 ? 503 : 400;
  const error = e.name && /^[a-z_]+$/.test(e.name) ? e.name : 'invalid_request';
  return new Problem(status, 'ERP_OAUTH_REFUSED', 'OAuth request refused', {
    detail: `${error}: ${e.message ?? ''}`,
    extensions: { error, error_description: e.message ?? '' },
    // OAuth clients read errors only as application/json (RFC 6749 §5.2); the body is a problem
    // still. The consent step answers the shell, which reads problem+json.
    ...(toClient ? { mediaType: 'application/json' } : {}),
  });
}

export const invalidClient = () =>
  oauthProblem({ code: 401, name: 'invalid_client', message: 'Invalid client: client is invalid' });
