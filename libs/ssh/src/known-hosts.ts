import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  patterns: string[];
  keyType: string;
  key: Buffer;
}

/** The name OpenSSH looks up for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH-style fingerprint of a public key blob: `SHA256:<unpadded base64>`. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Key type written at the start of an SSH public key blob (e.g. `ssh-ed25519`). */
export function keyBlobType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** Parses known_hosts text; comments, blank and malformed lines are skipped like OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    if (fields.length < 3) continue;
    const [hosts, keyType, keyB64] = fields as [string, string, string];
    const key = Buffer.from(keyB64, 'base64');
    if (key.length === 0) continue;
    entries.push({ ...(marker ? { marker } : {}), patterns: hosts.split(','), keyType, key });
  }
  return entries;
}

/** True when an entry's host patterns match `name` (hashed `|1|salt|hash`, wildcards and `!negation`). */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  let matched = false;
  for (const pattern of entry.patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (!patternMatches(body, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , saltB64, hashB64] = pattern.split('|');
    if (!saltB64 || !hashB64) return false;
    const expected = Buffer.from(hashB64, 'base64');
    const actual = createHmac('sha1', Buffer.from(saltB64, 'base64')).update(name).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(name);
}

/** Builds a hashed host pattern the way `ssh-keygen -H` does (salt is 20 random bytes). */
export function hashKnownHostName(name: string, salt: Buffer): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}
