import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { entryMatchesHost, keyBlobType, knownHostsName, parseKnownHosts, sshFingerprint } from './known-hosts';

/** Outcome of looking a presented host key up in known_hosts. */
export type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'unknown' }
  | { kind: 'mismatch'; knownFingerprints: string[] };

const locks = new Map<string, Promise<unknown>>();

/** Reads and appends an OpenSSH known_hosts file; appends are serialised per file within this process. */
export class KnownHostsStore {
  constructor(readonly path: string) {}

  /** Checks a host key; any pinned key for the host that differs (or a @revoked one) is a mismatch. */
  async check(host: string, port: number, keyBlob: Buffer): Promise<HostKeyVerdict> {
    return verdictFor(await this.read(), knownHostsName(host, port), keyBlob);
  }

  /**
   * Trust on first use: records the key when the host is still unknown, re-checking under a lock so two
   * concurrent first connections cannot record two different keys. Returns the verdict seen under the lock.
   */
  async recordIfUnknown(host: string, port: number, keyBlob: Buffer): Promise<HostKeyVerdict> {
    return this.withLock(async () => {
      const text = await this.read();
      const name = knownHostsName(host, port);
      const verdict = verdictFor(text, name, keyBlob);
      if (verdict.kind !== 'unknown') return verdict;
      const prefix = text !== '' && !text.endsWith('\n') ? '\n' : '';
      const line = `${prefix}${name} ${keyBlobType(keyBlob)} ${keyBlob.toString('base64')}\n`;
      await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      // One O_APPEND write of a whole line: other appenders (other processes) never interleave with it.
      await fs.appendFile(this.path, line, { mode: 0o600 });
      return { kind: 'trusted' } as const;
    });
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

function verdictFor(text: string, name: string, keyBlob: Buffer): HostKeyVerdict {
  const entries = parseKnownHosts(text).filter((e) => e.marker !== '@cert-authority' && entryMatchesHost(e, name));
  if (entries.some((e) => e.marker === '@revoked' && e.key.equals(keyBlob))) {
    return { kind: 'mismatch', knownFingerprints: [`${sshFingerprint(keyBlob)} (revoked)`] };
  }
  const pinned = entries.filter((e) => e.marker === undefined);
  if (pinned.length === 0) return { kind: 'unknown' };
  if (pinned.some((e) => e.key.equals(keyBlob))) return { kind: 'trusted' };
  return { kind: 'mismatch', knownFingerprints: [...new Set(pinned.map((e) => sshFingerprint(e.key)))] };
}
