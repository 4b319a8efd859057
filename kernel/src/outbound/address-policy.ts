// Which IP addresses an outbound call may reach. Default deny for everything that is not plain
// public unicast: the classification is ipaddr.js's list of special-purpose ranges (loopback,
// RFC 1918 private, link-local, unique-local, CGNAT, multicast, broadcast, unspecified, reserved,
// NAT64/6to4/Teredo which embed IPv4 addresses…), applied to the IPv4 form of IPv4-mapped IPv6.
// A tenant may allow specific ranges (`allowPrivate`); the cloud metadata addresses stay refused
// unless the allowance names the address itself, so allowing 169.254.0.0/16 for a device on a
// link-local network does not hand out the instance's credentials too.
import ipaddr from 'ipaddr.js';
import { policyInvalid } from './problems.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** Ranges ipaddr.js calls unicast that must still be refused. */
const EXTRA_REFUSED: readonly { range: Range; why: string }[] = [
  // IPv4-compatible IPv6 (::a.b.c.d, deprecated by RFC 4291): stacks may still route it as IPv4.
  { range: ipaddr.parseCIDR('::/96'), why: 'an IPv4-compatible IPv6 address' },
];

const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);

const REASONS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local IPv6 address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

const reasonFor = (range: string) => REASONS[range] ?? `a special-purpose address (${range})`;

export interface AddressPolicy {
  /** null when the address may be reached, otherwise why not (for the problem's detail). */
  refusal(address: string): string | null;
}

/** Parses an address the way the connection will use it: IPv4-mapped IPv6 becomes its IPv4 form. */
function parse(address: string): Address | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // A zone id (fe80::1%eth0) only ever appears on link-local addresses; classify without it.
  const unzoned = bare.split('%')[0] ?? bare;
  return ipaddr.isValid(unzoned) ? ipaddr.process(unzoned) : null;
}

function parseAllowance(entry: string): Range {
  const trimmed = entry.trim();
  if (ipaddr.isValidCIDR(trimmed)) {
    const [base, bits] = ipaddr.parseCIDR(trimmed);
    // ::ffff:127.0.0.0/104 means 127.0.0.0/8: match against the IPv4 form like addresses.
    if (base.kind() === 'ipv6' && (base as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(base as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [base, bits];
  }
  const single = parse(trimmed);
  if (!single) throw policyInvalid(entry);
  return [single, single.kind() === 'ipv4' ? 32 : 128];
}

export function createAddressPolicy(allowPrivate: readonly string[] = []): AddressPolicy {
  const allowed = allowPrivate.map(parseAllowance);
  const isAllowed = (addr: Address, exact: boolean) =>
    allowed.some(
      ([base, bits]) =>
        base.kind() === addr.kind() &&
        addr.match(base, bits) &&
        (!exact || bits === (base.kind() === 'ipv4' ? 32 : 128)),
    );
  return {
    refusal(address) {
      const addr = parse(address);
      if (!addr) return 'not an IP address';
      const normal = addr.toNormalizedString();
      const canonical = addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : normal;
      if (METADATA.has(canonical)) {
        return isAllowed(addr, true) ? null : 'a cloud metadata address';
      }
      const range = addr.range();
      let why = range === 'unicast' ? null : reasonFor(range);
      if (!why) {
        const extra = EXTRA_REFUSED.find(({ range: r }) => r[0].kind() === addr.kind() && addr.match(r));
        why = extra?.why ?? null;
      }
      if (!why) return null;
      return isAllowed(addr, false) ? null : why;
    },
  };
}
