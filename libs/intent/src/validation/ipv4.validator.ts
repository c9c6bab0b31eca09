/** Dotted-quad IPv4 parsing and subnet arithmetic, strict (no octal, no leading zeros, no shorthand). */

import { formatIpv4, isValidIpv4, parseIpv4 } from '@hostnet/contracts';

// The dotted-quad parse itself lives in @hostnet/contracts (the libs that cannot depend on intent use it too).
export { formatIpv4, isValidIpv4, parseIpv4, routeDestination } from '@hostnet/contracts';

/** True for an integer prefix length 0–32. */
export function isValidPrefix(prefix: unknown): prefix is number {
  return typeof prefix === 'number' && Number.isInteger(prefix) && prefix >= 0 && prefix <= 32;
}

/** Prefix length of a contiguous netmask (`255.255.255.0` → 24), or null. */
export function netmaskToPrefix(netmask: unknown): number | null {
  const value = parseIpv4(netmask);
  if (value === null) return null;
  for (let prefix = 0; prefix <= 32; prefix++) {
    if (prefixMask(prefix) === value) return prefix;
  }
  return null;
}

/** Netmask of a prefix length (24 → `255.255.255.0`). */
export function prefixToNetmask(prefix: number): string {
  return formatIpv4(prefixMask(prefix));
}

function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff - (2 ** (32 - prefix) - 1));
}

/** Network address of `address/prefix` as an integer. */
export function networkOf(address: number, prefix: number): number {
  return address - (address % 2 ** (32 - prefix));
}

/** True when `address` lies in `network/prefix` (both integers). */
export function inSubnet(address: number, network: number, prefix: number): boolean {
  return networkOf(address, prefix) === networkOf(network, prefix);
}

/** True when two subnets share any address. */
export function subnetsOverlap(a: number, aPrefix: number, b: number, bPrefix: number): boolean {
  const prefix = Math.min(aPrefix, bPrefix);
  return networkOf(a, prefix) === networkOf(b, prefix);
}

const LINK_LOCAL = parseIpv4('169.254.0.0') as number;

/** True for 169.254.0.0/16, which only the agent's cloud0 may use. */
export function isLinkLocal(address: number): boolean {
  return inSubnet(address, LINK_LOCAL, 16);
}

/** `a.b.c.d/nn` or `a.b.c.d` (prefix null) split and checked, or null when malformed. */
export function parseCidr(text: unknown): { address: string; prefix: number | null } | null {
  if (typeof text !== 'string') return null;
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined || !isValidIpv4(address)) return null;
  if (prefixText === undefined) return { address, prefix: null };
  if (!/^(0|[1-9]\d?)$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return isValidPrefix(prefix) ? { address, prefix } : null;
}

/**
 * Why `address/prefix` cannot be a host's interface address (with the fix), or null: it must be a
 * unicast host address, not the subnet's network or broadcast address, and not link-local.
 */
export function hostAddressProblem(address: string, prefix: number): string | null {
  const value = parseIpv4(address);
  if (value === null) return 'is not a valid IPv4 address; fix: write it as a dotted quad like 192.168.100.20';
  if (!isValidPrefix(prefix)) return `has prefix ${prefix}; fix: use a prefix length 0-32`;
  if (isLinkLocal(value)) {
    return 'is in 169.254.0.0/16, which only the agent\'s cloud0 bridge may use; fix: use an address outside 169.254.0.0/16';
  }
  const first = Math.floor(value / 2 ** 24);
  if (first === 0 || first === 127 || first >= 224) {
    return 'is not a unicast host address; fix: use a routable unicast address';
  }
  if (prefix <= 30) {
    const size = 2 ** (32 - prefix);
    const offset = value % size;
    if (offset === 0 || offset === size - 1) {
      return `is the network or broadcast address of its /${prefix} subnet; fix: use a host address inside the subnet`;
    }
  }
  return null;
}
