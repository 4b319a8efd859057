// The safe outbound fetch: URL check → resolve once and check every address → connect to a checked
// address only → stream the answer under a size limit, all inside one total deadline.
import { createAddressPolicy } from './address-policy.js';
import { type Connector, systemConnector } from './connect.js';
import { timedOut, urlInvalid } from './problems.js';
import { type OutboundInit, type OutboundResponse, sendRequest } from './request.js';
import { bareHost, type Resolver, resolveChecked, systemResolver } from './resolve.js';

export interface OutboundPolicy {
  /**
   * Addresses or CIDR ranges this tenant may reach although they are not public unicast
   * (e.g. ['10.20.0.0/16', '127.0.0.0/8']). Metadata addresses need to be named exactly.
   */
  allowPrivate?: readonly string[];
  /** Until the TCP (and TLS) connection is up. Default 5 s. */
  connectTimeoutMs?: number;
  /** From the call until the last body byte, DNS included. Default 10 s. */
  totalTimeoutMs?: number;
  /** Largest response body accepted. Default 5 MiB. */
  maxBodyBytes?: number;
}

export interface OutboundDeps {
  resolve?: Resolver;
  connect?: Connector;
}

export type OutboundFetch = (url: string | URL, init?: OutboundInit) => Promise<OutboundResponse>;

export const OUTBOUND_DEFAULTS = {
  connectTimeoutMs: 5_000,
  totalTimeoutMs: 10_000,
  maxBodyBytes: 5 * 1024 * 1024,
} as const;

function parseUrl(url: string | URL): URL {
  let target: URL;
  try {
    target = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    throw urlInvalid(String(url), 'not an absolute URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw urlInvalid(target.href, `only http and https are allowed, not ${target.protocol.slice(0, -1)}`);
  }
  if (target.username || target.password) {
    throw urlInvalid(`${target.protocol}//${target.host}`, 'credentials in the URL are not allowed');
  }
  return target;
}

export function createOutboundFetch(policy: OutboundPolicy = {}, deps: OutboundDeps = {}): OutboundFetch {
  const addresses = createAddressPolicy(policy.allowPrivate);
  const resolver = deps.resolve ?? systemResolver;
  const connect = deps.connect ?? systemConnector;
  const connectTimeoutMs = policy.connectTimeoutMs ?? OUTBOUND_DEFAULTS.connectTimeoutMs;
  const totalTimeoutMs = policy.totalTimeoutMs ?? OUTBOUND_DEFAULTS.totalTimeoutMs;
  const maxBodyBytes = policy.maxBodyBytes ?? OUTBOUND_DEFAULTS.maxBodyBytes;

  return async (url, init = {}) => {
    // WHATWG parsing already turns 2130706433, 0x7f000001 and 0177.0.0.1 into 127.0.0.1.
    const target = parseUrl(url);
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(timedOut(target.host, 'total', totalTimeoutMs)),
      totalTimeoutMs,
    );
    try {
      const aborted = new Promise<never>((_, reject) =>
        deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true }),
      );
      aborted.catch(() => {});
      const checked = await Promise.race([resolveChecked(target.hostname, addresses, resolver), aborted]);
      return await sendRequest(
        {
          url: target,
          connectHost: bareHost(target.hostname),
          addresses: checked,
          connect,
          connectTimeoutMs,
          maxBodyBytes,
          signal: deadline.signal,
        },
        init,
      );
    } finally {
      clearTimeout(timer);
    }
  };
}
