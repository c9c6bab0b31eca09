import { textFile } from './text-file';

/** One `[name]` group of a NetworkManager keyfile; keys with an undefined value are left out. */
export type KeyfileSection = [name: string, keys: Array<[string, string | number | undefined]>];

/**
 * A keyfile's text: sections in the given order, empty ones dropped except `[connection]`. Callers
 * list sections and keys in the order NetworkManager writes them, so a profile NM rewrites stays
 * byte-identical and the diff stays empty.
 */
export function keyfileText(sections: KeyfileSection[]): string {
  const lines: string[] = [];
  for (const [name, keys] of sections) {
    const set = keys.filter(([, value]) => value !== undefined);
    if (set.length === 0 && name !== 'connection') continue;
    if (lines.length > 0) lines.push('');
    lines.push(`[${name}]`, ...set.map(([key, value]) => `${key}=${value}`));
  }
  return textFile(lines);
}
