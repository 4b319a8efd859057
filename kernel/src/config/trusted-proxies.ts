// ERP_TRUST_PROXY: the reverse proxies whose X-Forwarded-For the kernel believes, as a list of
// addresses and CIDR ranges. Fastify (proxy-addr) then walks the header from the right and stops at
// the first address that is not a trusted proxy, so a client cannot choose its own address by
// sending a forged left-most entry. `true` (believe any peer) is refused with the new form.
import { isIP } from 'node:net';

const KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** The list, or a reason the value is refused (the caller names the variable). */
export function parseTrustedProxies(raw: string): string[] | { error: string } {
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'false') return [];
  if (value.toLowerCase() === 'true') {
    return {
      error:
        'no longer accepts "true" (that believed any client\'s X-Forwarded-For): list the addresses or ' +
        'CIDR ranges of your reverse proxies, e.g. ERP_TRUST_PROXY=10.0.0.5,10.1.0.0/16 (or "loopback")',
    };
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (KEYWORDS.has(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const max = family === 4 ? 32 : 128;
    const prefixOk =
      prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= max && extra === undefined);
    if (!family || !prefixOk) {
      return {
        error: `entry ${JSON.stringify(entry)} is not an IP address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal`,
      };
    }
  }
  return entries;
}
