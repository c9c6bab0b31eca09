import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { keyBlobType, knownHostsName, parseKnownHosts, sshFingerprint, type KnownHostEntry } from './known-hosts';
import { KnownHostsIndex } from './known-hosts.index';
import { fileStamp } from './file-stamp';

/** Outcome of looking a presented host key up in known_hosts. */
export type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'unknown' }
  | { kind: 'mismatch'; knownFingerprints: string[] };

const locks = new Map<string, Promise<unknown>>();

/** A file's parsed index and the stat it was read at: reused while the file is unchanged (one stat a connect). */
interface CachedIndex {
  stamp: string;
  size: number;
  /** Whether the file ends with a newline (or is empty): an append then needs none first. */
  endsWithNewline: boolean;
  index: KnownHostsIndex;
}
const cache = new Map<string, CachedIndex>();

const EMPTY = 'absent';

/** Reads and appends an OpenSSH known_hosts file; appends are serialised per file within this process. */
export class KnownHostsStore {
  constructor(readonly path: string) {}

  /** Checks a host key; any pinned key for the host that differs (or a @revoked one) is a mismatch. */
  async check(host: string, port: number, keyBlob: Buffer): Promise<HostKeyVerdict> {
    return verdictFor((await this.current()).index, knownHostsName(host, port), keyBlob);
  }

  /**
   * Trust on first use: records the key when the host is still unknown, re-checking under a lock so two
   * concurrent first connections cannot record two different keys. Returns the verdict seen under the lock.
   */
  async recordIfUnknown(host: string, port: number, keyBlob: Buffer): Promise<HostKeyVerdict> {
    return this.withLock(async () => {
      const before = await this.current();
      const name = knownHostsName(host, port);
      const verdict = verdictFor(before.index, name, keyBlob);
      if (verdict.kind !== 'unknown') return verdict;
      const prefix = before.endsWithNewline ? '' : '\n';
      const line = `${prefix}${name} ${keyBlobType(keyBlob)} ${keyBlob.toString('base64')}\n`;
      await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      // One O_APPEND write of a whole line: other appenders (other processes) never interleave with it.
      await fs.appendFile(this.path, line, { mode: 0o600 });
      this.extendCache(before, line, { patterns: [name], keyType: keyBlobType(keyBlob), key: keyBlob });
      return { kind: 'trusted' } as const;
    });
  }

  /** The file's index, parsed again only when its stat changed (another process may append). */
  private async current(): Promise<CachedIndex> {
    const stamp = this.stamp();
    const cached = cache.get(this.path);
    if (cached?.stamp === stamp) return cached;
    const text = await this.read();
    // Stamped as stat'ed before the read: a write in between makes the next lookup read again.
    const fresh = { stamp, size: Buffer.byteLength(text), endsWithNewline: text === '' || text.endsWith('\n'), index: new KnownHostsIndex(parseKnownHosts(text)) };
    cache.set(this.path, fresh);
    return fresh;
  }

  /** After our own append: when the file grew by exactly our line, our entry joins the index instead of a re-read. */
  private extendCache(before: CachedIndex, line: string, entry: KnownHostEntry): void {
    const now = fileStamp(this.path);
    const size = before.size + Buffer.byteLength(line);
    if (now.size === size && cache.get(this.path) === before) {
      before.index.add(entry);
      cache.set(this.path, { stamp: now.version, size, endsWithNewline: true, index: before.index });
    } else {
      cache.delete(this.path);
    }
  }

  private stamp(): string {
    try {
      return fileStamp(this.path).version;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
      throw error;
    }
  }

  private async read(): Promise<string> {
    try {
      return await fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(this.path) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    locks.set(this.path, settled);
    try {
      return await run;
    } finally {
      if (locks.get(this.path) === settled) locks.delete(this.path);
    }
  }
}

function verdictFor(index: KnownHostsIndex, name: string, keyBlob: Buffer): HostKeyVerdict {
  const entries = index.matching(name).filter((e) => e.marker !== '@cert-authority');
  if (entries.some((e) => e.marker === '@revoked' && e.key.equals(keyBlob))) {
    return { kind: 'mismatch', knownFingerprints: [`${sshFingerprint(keyBlob)} (revoked)`] };
  }
  const pinned = entries.filter((e) => e.marker === undefined);
  if (pinned.length === 0) return { kind: 'unknown' };
  if (pinned.some((e) => e.key.equals(keyBlob))) return { kind: 'trusted' };
  return { kind: 'mismatch', knownFingerprints: [...new Set(pinned.map((e) => sshFingerprint(e.key)))] };
}
