/** Dotted-quad IPv4, strict (no octal, no leading zeros, no shorthand): the one parse every lib and app uses. */

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** The address as an unsigned 32-bit integer, or null when it is not a canonical dotted quad. */
export function parseIpv4(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** True for a canonical dotted-quad IPv4 address. */
export function isValidIpv4(text: unknown): text is string {
  return parseIpv4(text) !== null;
}

/** Dotted quad of an unsigned 32-bit integer. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * A route destination in the one form every comparison uses: iproute2 prints a host route without its /32
 * (`"dst":"10.1.1.5"`) and the default route as `default` (`0.0.0.0/0` is the same route). Anything else
 * is returned as given.
 */
export function routeDestination(to: string): string {
  if (to === 'default' || to === '0.0.0.0/0') return 'default';
  return isValidIpv4(to) ? `${to}/32` : to;
}
