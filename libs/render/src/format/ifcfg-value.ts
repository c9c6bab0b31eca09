/** The last `KEY=value` of an ifcfg file, unquoted, as the shell that sources it would see it. */
export function ifcfgValue(content: string, key: string): string | undefined {
  let value: string | undefined;
  for (const line of content.split('\n')) {
    const m = new RegExp(`^${key}=(["']?)([^"'\\s]*)\\1\\s*$`).exec(line.trim());
    if (m) value = m[2] || undefined;
  }
  return value;
}
