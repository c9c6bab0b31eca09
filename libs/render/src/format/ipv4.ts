/** Dotted netmask for a prefix length, e.g. 24 → 255.255.255.0 (ifcfg NETMASK, ifupdown netmask). */
export function prefixToNetmask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}
