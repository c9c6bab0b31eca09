import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519KeyPair, type SshEndpoint } from '@hostnet/ssh';

/** A temp dir with a client key pair on disk, for SSH integration tests. */
export class SshTestKit {
  readonly dir = mkdtempSync(join(tmpdir(), 'hostnet-ssh-test-'));
  readonly privateKey: string;
  readonly publicKey: string;
  readonly keyPath = join(this.dir, 'id_ed25519');
  private counter = 0;

  constructor() {
    const pair = generateEd25519KeyPair('hostnet-test');
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    writeFileSync(this.keyPath, this.privateKey, { mode: 0o600 });
  }

  /** A fresh known_hosts path (file not created). */
  knownHostsPath(): string {
    this.counter += 1;
    return join(this.dir, `known_hosts_${this.counter}`);
  }

  /** A known_hosts file that already pins `host`. */
  pinnedKnownHosts(host: { knownHostsLine(): string }): string {
    const path = this.knownHostsPath();
    writeFileSync(path, `${host.knownHostsLine()}\n`);
    return path;
  }

  endpoint(host: { endpoint: { host: string; port: number } }, overrides: Partial<SshEndpoint> = {}): SshEndpoint {
    return { host: host.endpoint.host, port: host.endpoint.port, username: 'root', privateKeyPath: this.keyPath, useSudo: false, ...overrides };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The base64 body of a private key: what must never show up in an error. */
export function keyBody(privateKey: string): string {
  return privateKey.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
}
