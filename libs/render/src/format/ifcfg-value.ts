import { netmaskToPrefix } from '@hostnet/intent/validation/ipv4.validator';

/** The last `KEY=value` of an ifcfg file, unquoted, as the shell that sources it would see it. */
export function ifcfgValue(content: string, key: string): string | undefined {
  let value: string | undefined;
  for (const line of content.split('\n')) {
    const m = new RegExp(`^${key}=(["']?)([^"'\\s]*)\\1\\s*$`).exec(line.trim());
    if (m) value = m[2] || undefined;
  }
  return value;
}

/**
 * An ifcfg file (or /etc/sysconfig/network) as network-scripts reads it, to tell a real change from one of
 * form: each variable's last value, unquoted, in key order; a NETMASKn as the PREFIXn it means. Comments and
 * blank lines go; a line that is not a plain assignment stays as written (it means what the shell makes of it).
 */
export function ifcfgMeaning(content: string): string {
  const values = new Map<string, string>();
  const masks = new Map<string, string>();
  const other: string[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"$`\\]*)"|'([^']*)'|([^"'\s$`\\;&|<>()]*))$/.exec(line);
    if (!m) {
      other.push(line);
      continue;
    }
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    const mask = /^NETMASK(\d*)$/.exec(m[1]!);
    if (mask && netmaskToPrefix(value) !== null) masks.set(mask[1]!, String(netmaskToPrefix(value)));
    else values.set(m[1]!, value);
  }
  // ifup-eth takes PREFIXn when set, else NETMASKn
  for (const [n, prefix] of masks) if (!values.get(`PREFIX${n}`)) values.set(`PREFIX${n}`, prefix);
  const assigned = [...values].filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).sort();
  return [...assigned, ...other].join('\n');
}
