/** The value of `key` in the `[section]` group of a NetworkManager keyfile (or any ini text), trimmed. */
export function keyfileValue(content: string, section: string, key: string): string | undefined {
  let current = '';
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1]!;
    else if (current === section && line.startsWith(`${key}=`)) return line.slice(key.length + 1).trim();
  }
  return undefined;
}
