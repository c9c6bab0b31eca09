import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  HostKeyMismatchError,
  HostKeyUnknownError,
  SshConnector,
  hashKnownHostName,
  knownHostsName,
  type SshConnectOptions,
} from '@hostnet/ssh';
import { SimulatedKvmHost } from '../../../apps/simulator/src/kvm-host';
import { SshTestKit } from './ssh-test-kit';

describe('strict host-key checking against known_hosts', () => {
  const kit = new SshTestKit();
  const connector = new SshConnector();
  let host: SimulatedKvmHost;
  const opts = (knownHostsPath: string, trustOnFirstUse: boolean): SshConnectOptions => ({
    knownHostsPath,
    trustOnFirstUse,
    connectTimeoutMs: 3000,
    commandTimeoutMs: 5000,
    hostLabel: 'kvm-keys',
  });
  const connectAndClose = async (knownHostsPath: string, tofu: boolean): Promise<void> => {
    const session = await connector.connect(kit.endpoint(host), opts(knownHostsPath, tofu));
    await session.close();
  };

  beforeEach(async () => {
    host = await SimulatedKvmHost.start({ name: 'kvm-keys', persona: 'rocky9', authorizedKeys: [kit.publicKey] });
  });
  afterEach(async () => host.stop());
  afterAll(() => kit.cleanup());

  it('refuses an unknown host without trust on first use, writing nothing', async () => {
    const path = kit.knownHostsPath();
    const error = await connector.connect(kit.endpoint(host), opts(path, false)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(HostKeyUnknownError);
    expect((error as HostKeyUnknownError).permanent).toBe(true);
    expect((error as Error).message).toContain('kvm-keys');
    expect((error as Error).message).toContain(host.hostKeyFingerprint);
    expect(existsSync(path)).toBe(false);
    expect(host.stats.execs).toBe(0);
  });

  it('records the key on first use, then pins it', async () => {
    const path = kit.knownHostsPath();
    await connectAndClose(path, true);
    expect(readFileSync(path, 'utf8')).toBe(`${knownHostsName('127.0.0.1', host.endpoint.port)} ${host.hostPublicKey}\n`);
    await connectAndClose(path, false);
    await connectAndClose(path, true);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('records exactly one entry when many first connections race', async () => {
    const path = kit.knownHostsPath();
    writeFileSync(path, '# managed by hostnet tests'); // no trailing newline: the append must add one
    await Promise.all(Array.from({ length: 6 }, () => connectAndClose(path, true)));
    expect(readFileSync(path, 'utf8').split('\n')).toEqual(['# managed by hostnet tests', host.knownHostsLine(), '']);
  });

  it('refuses a changed host key even with TOFU on, naming the host and both fingerprints', async () => {
    const path = kit.knownHostsPath();
    await connectAndClose(path, true);
    const pinned = host.hostKeyFingerprint;
    const before = readFileSync(path, 'utf8');
    const presented = host.faults.presentDifferentHostKey();
    expect(presented).not.toBe(pinned);
    const error = await connector.connect(kit.endpoint(host), opts(path, true)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    const mismatch = error as HostKeyMismatchError;
    expect(mismatch.permanent).toBe(true);
    expect(mismatch.message).toContain('kvm-keys');
    expect(mismatch.message).toContain(pinned);
    expect(mismatch.message).toContain(presented);
    expect(mismatch.knownFingerprints).toEqual([pinned]);
    expect(mismatch.presentedFingerprint).toBe(presented);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(host.stats.execs).toBe(0);
  });

  it('matches hashed entries (|1|salt|hash), both to trust and to refuse', async () => {
    const path = kit.knownHostsPath();
    const hashed = hashKnownHostName(knownHostsName('127.0.0.1', host.endpoint.port), randomBytes(20));
    writeFileSync(path, `other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm1k3Yp0aL8VZ4eJb0m6aT8oE9aV3k7XkqZr1mXfW3g\n${hashed} ${host.hostPublicKey}\n`);
    await connectAndClose(path, false);
    host.faults.presentDifferentHostKey();
    await expect(connector.connect(kit.endpoint(host), opts(path, true))).rejects.toBeInstanceOf(HostKeyMismatchError);
  });

  it('uses the plain host name for port 22 entries and [host]:port otherwise', () => {
    expect(knownHostsName('10.0.0.5', 22)).toBe('10.0.0.5');
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });
});
