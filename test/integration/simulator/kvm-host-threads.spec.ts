import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnector } from '@hostnet/ssh';
import type { KvmHostThreads as Threads } from '../../../apps/simulator/src/kvm-host';
import { ensureBuiltApps } from '../../support/worker-process';
import { SshTestKit } from '../ssh/ssh-test-kit';

/**
 * Simulated hosts spread over worker threads (the bench's zone): each answers SSH from its thread, and
 * what the zone reads of it (known_hosts line, live state, counters) comes back right. A thread loads
 * compiled JavaScript, so this runs the build's KvmHostThreads.
 */
describe('simulated hosts in worker threads', () => {
  const kit = new SshTestKit();
  const connector = new SshConnector();
  let threads: Threads | undefined;
  let built: { KvmHostThreads: typeof Threads };

  beforeAll(() => {
    ensureBuiltApps();
    built = require(join(__dirname, '..', '..', '..', 'dist', 'apps', 'simulator', 'src', 'kvm-host', 'threaded', 'kvm-host-threads.js')) as { KvmHostThreads: typeof Threads };
  });

  afterAll(async () => {
    await threads?.stop();
    kit.cleanup();
  });

  it('serves each host from its thread and reports its counters and files', async () => {
    threads = built.KvmHostThreads.start(2);
    const hosts = await Promise.all(
      ['threaded-a', 'threaded-b', 'threaded-c'].map((name, i) =>
        threads!.startHost({ name, persona: i === 1 ? 'centos7' : 'ubuntu2404', hostModel: 'lean', authorizedKeys: [kit.publicKey], management: { address: `192.0.2.${10 + i}`, prefix: 24, gateway: '192.0.2.1' } }),
      ),
    );
    expect(threads.spawnerPids()).toHaveLength(2);
    for (const [i, host] of hosts.entries()) {
      const knownHostsPath = kit.pinnedKnownHosts(host);
      const session = await connector.connect(kit.endpoint(host), { knownHostsPath, trustOnFirstUse: false, connectTimeoutMs: 5000, commandTimeoutMs: 20_000 });
      for (let exec = 0; exec <= i; exec++) await expect(session.exec('echo "$HOSTNET_ROOT"')).resolves.toMatchObject({ code: 0, stdout: `${host.rootDir}\n` });
      await session.close();
      expect(host.readLiveState().addresses).toContainEqual({ dev: 'eth0', address: `192.0.2.${10 + i}`, prefix: 24 });
      expect(host.readLiveHistory().length).toBeGreaterThan(0);
    }
    const stats = await threads.stats();
    expect(hosts.map((h) => [stats.get(h.name)!.connections, stats.get(h.name)!.execs])).toEqual([[1, 1], [1, 2], [1, 3]]);
    await hosts[0]!.stop();
    expect([...(await threads.stats()).keys()].sort()).toEqual(['threaded-b', 'threaded-c']);
    // whichever thread its turn would land on
    for (const name of ['threaded-b', 'threaded-c']) await expect(threads.startHost({ name, persona: 'centos7', authorizedKeys: [kit.publicKey] })).rejects.toThrow(`a simulated host named ${name} already runs in these threads`);
    // stopping the pool stops the hosts still running: their roots go
    await threads.stop();
    threads = undefined;
    expect(hosts.slice(1).map((h) => existsSync(h.rootDir))).toEqual([false, false]);
  }, 60_000);

  it('refuses a thread count that is not a whole number of at least 1', () => {
    expect(() => built.KvmHostThreads.start(0)).toThrow('host threads must be a whole number of at least 1, got 0');
  });
});
