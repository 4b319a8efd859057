// The stable codes an outbound call fails with. A refusal names the host and why, so the operator can
// decide whether the tenant should allow that range; the caller switches on `code`, never on `detail`.
import { Problem } from '../http/index.js';

/**
 * A call the client refused to make (SSRF protection), with what the audit entry may name: the
 * host (never the path or query, which may carry secrets), the address it resolved to, and why.
 */
export class OutboundRefused extends Problem {
  constructor(
    code: 'ERP_HTTP_URL_INVALID' | 'ERP_HTTP_ADDRESS_REFUSED',
    title: string,
    detail: string,
    readonly refusal: { host: string | null; address: string | null; cause: string },
  ) {
    super(500, code, title, { detail });
  }
}

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
};

export const urlInvalid = (url: string, why: string) =>
  new OutboundRefused('ERP_HTTP_URL_INVALID', 'Invalid URL', `${url}: ${why}`, {
    host: hostOf(url),
    address: null,
    cause: why,
  });

export const addressRefused = (host: string, address: string, why: string) =>
  new OutboundRefused(
    'ERP_HTTP_ADDRESS_REFUSED',
    'Outbound address refused',
    host === address
      ? `${host} is ${why}; outbound calls to it are refused unless the tenant allows its range.`
      : `${host} resolves to ${address}, ${why}; outbound calls to it are refused unless the tenant allows its range.`,
    { host, address, cause: why },
  );

export const requestInvalid = (host: string, why: string) =>
  new Problem(500, 'ERP_HTTP_REQUEST_INVALID', 'Invalid outbound request', { detail: `${host}: ${why}` });

export const unresolvable = (host: string, why: string) =>
  new Problem(502, 'ERP_HTTP_UNREACHABLE', 'Upstream unreachable', {
    detail: `${host} could not be resolved: ${why}.`,
  });

export const unreachable = (host: string, why: string) =>
  new Problem(502, 'ERP_HTTP_UNREACHABLE', 'Upstream unreachable', { detail: `${host}: ${why}.` });

export const timedOut = (host: string, phase: 'connect' | 'total', ms: number) =>
  new Problem(504, 'ERP_HTTP_TIMEOUT', 'Upstream timed out', {
    detail:
      phase === 'connect'
        ? `${host} did not accept a connection within ${ms} ms.`
        : `${host} did not answer completely within ${ms} ms.`,
  });

export const tooLarge = (host: string, limit: number) =>
  new Problem(502, 'ERP_HTTP_TOO_LARGE', 'Upstream response too large', {
    detail: `${host} sent a body larger than ${limit} bytes; the connection was closed.`,
  });

export const policyInvalid = (entry: string) =>
  new Problem(500, 'ERP_HTTP_POLICY_INVALID', 'Invalid outbound policy', {
    detail: `allowPrivate entry ${JSON.stringify(entry)} is neither an IP address nor a CIDR range.`,
  });
