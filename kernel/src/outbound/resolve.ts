// Resolves a URL's host once and checks every answer. The checked list is what the connection will
// use (see connect.ts): nothing asks DNS again between this check and the connect, so a name that
// answers a public address now and 127.0.0.1 a moment later (DNS rebinding) cannot slip through.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AddressPolicy } from './address-policy.js';
import { addressRefused, unresolvable } from './problems.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Answers every address a host name resolves to; injectable so tests can play DNS. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** The URL's hostname without IPv6 brackets: what a socket connects to. */
export const bareHost = (hostname: string) =>
  hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;

export async function resolveChecked(
  hostname: string,
  policy: AddressPolicy,
  resolver: Resolver,
): Promise<readonly ResolvedAddress[]> {
  const host = bareHost(hostname);
  const literal = isIP(host);
  let answers: readonly ResolvedAddress[];
  if (literal) {
    answers = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      answers = await resolver(host);
    } catch (err) {
      throw unresolvable(host, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
    }
    if (answers.length === 0) throw unresolvable(host, 'no addresses');
  }
  // Every answer must pass: the system may pick any of them, and a rebinding resolver puts the
  // internal address second.
  for (const { address } of answers) {
    const why = policy.refusal(address);
    if (why) throw addressRefused(host, address, why);
  }
  return answers;
}
