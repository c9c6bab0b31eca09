import { connect, createServer, type Server, type Socket } from 'node:net';
import { HostWorkflowService } from '@hostnet/apply';
import { SshCommandNotStartedError, SshConnector, WarmSessions, type SshEndpoint } from '@hostnet/ssh';
import { SimulatedKvmHost } from '../../../apps/simulator/src/kvm-host';
import { SshTestKit } from '../ssh/ssh-test-kit';
import { bridgePlan, NEW_INTERFACES } from './support/bridge-plan';

/** A loopback TCP relay in front of the host: its live connections can be frozen (a path gone silent) or cut. */
class Relay {
  private readonly pairs: [Socket, Socket][] = [];
  private server!: Server;
  port = 0;

  async start(target: { host: string; port: number }): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      client.pipe(upstream).pipe(client);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
      this.pairs.push([client, upstream]);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Every connection open now stops carrying bytes both ways and is never closed: a half-open TCP path. */
  freeze(): void {
    for (const [client, upstream] of this.pairs.splice(0)) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
      this.frozen.push(client, upstream);
    }
  }

  /** Every connection open now is reset (sshd restarted, the host rebooted). */
  cut(): void {
    for (const [client, upstream] of this.pairs.splice(0)) {
      client.destroy();
      upstream.destroy();
    }
  }

  private readonly frozen: Socket[] = [];

  async stop(): Promise<void> {
    this.cut();
    this.frozen.forEach((s) => s.destroy());
    await new Promise((resolve) => this.server.close(resolve));
  }
}

// The worker keeps a host's last SSH connection open between runs (HOSTNET_SSH_KEEP_SECONDS), like
// OpenSSH's ControlPersist: the next run's facts skip the handshake. A change is still verified over a new
// connection, and a kept connection that died is replaced without failing the run.
describe('a connection kept open between runs', () => {
  const kit = new SshTestKit();
  const relay = new Relay();
  let host: SimulatedKvmHost;
  let endpoint: SshEndpoint;
  let knownHostsPath: string;
  const connects: string[] = [];
  const connector = new SshConnector((event) => connects.push(event.result));
  let warm: WarmSessions;

  const workflow = (keep = warm) =>
    new HostWorkflowService(
      () => connector.connect(endpoint, { knownHostsPath, trustOnFirstUse: true, connectTimeoutMs: 3000, commandTimeoutMs: 10_000 }),
      { rollbackSeconds: 5, reconnectIntervalMs: 200, reconnectTimeoutMs: 4000 },
      undefined,
      keep.forEndpoint(endpoint),
    );

  beforeAll(async () => {
    host = await SimulatedKvmHost.start({ name: 'kvm-kept', persona: 'debian12', authorizedKeys: [kit.publicKey] });
    await relay.start(host.endpoint);
    endpoint = kit.endpoint({ endpoint: { host: '127.0.0.1', port: relay.port } });
    knownHostsPath = kit.knownHostsPath();
  });
  beforeEach(() => {
    warm = new WarmSessions(60_000, 10);
  });
  afterEach(async () => {
    await warm.closeAll();
  });
  afterAll(async () => {
    await relay.stop();
    await host.stop();
    kit.cleanup();
  });

  it('a re-run reads facts over the kept connection, and a change is still verified over a new one', async () => {
    connects.length = 0;
    const first = await workflow().run(bridgePlan('kept-a'));
    expect(first.status).toBe('applied');
    // facts + apply on one connection, verify and confirm on a new one: the change proved the host reachable
    expect(connects).toEqual(['ok', 'ok']);
    expect(warm.size).toBe(1);

    const execsBefore = host.stats.execs;
    const again = await workflow().run(bridgePlan('kept-b'));
    expect(again.status).toBe('no-op');
    expect(again.roundTrips.total).toBe(1);
    expect(host.stats.execs - execsBefore).toBe(1);
    expect(connects).toEqual(['ok', 'ok']); // no connect for the re-run

    const changed = await workflow().run(bridgePlan('kept-c', { interfaces: `${NEW_INTERFACES}# changed\n` }));
    expect(changed.status).toBe('applied');
    // facts on the kept connection; the apply on one opened for it, the verify on another
    expect(connects).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('a kept connection whose path went silent is replaced within seconds, and the run goes on', async () => {
    await workflow().run(bridgePlan('kept-d'));
    expect(warm.size).toBe(1);
    relay.freeze();
    connects.length = 0;
    // Without the fallback the facts would wait out the command timeout (10 s) and the run would fail.
    const run = await workflow().run(bridgePlan('kept-e'));
    expect(run.status).toBe('no-op');
    expect(connects).toEqual(['ok']);
  });

  it('a kept connection the host closed while idle is not used', async () => {
    await workflow().run(bridgePlan('kept-f'));
    relay.cut();
    await new Promise((resolve) => setTimeout(resolve, 100));
    connects.length = 0;
    expect((await workflow().run(bridgePlan('kept-g'))).status).toBe('no-op');
    expect(connects).toEqual(['ok']);
  });

  it('a connection reset as a command is sent says the command did not start (a kept one then falls back)', async () => {
    const session = await connector.connect(endpoint, { knownHostsPath, trustOnFirstUse: true, connectTimeoutMs: 3000, commandTimeoutMs: 10_000 });
    const pending = session.exec('true');
    relay.cut();
    await expect(pending).rejects.toBeInstanceOf(SshCommandNotStartedError);
    await expect(session.exec('true')).rejects.toBeInstanceOf(SshCommandNotStartedError);
  });

  it('with keeping off (HOSTNET_SSH_KEEP_SECONDS=0) every run connects and closes', async () => {
    const off = new WarmSessions(0, 10);
    connects.length = 0;
    await workflow(off).run(bridgePlan('kept-h'));
    await workflow(off).run(bridgePlan('kept-i'));
    expect(connects).toEqual(['ok', 'ok']);
    expect(off.size).toBe(0);
  });

  it('a change is refused before anything is written when the host key changed since the kept connection was opened', async () => {
    await workflow().run(bridgePlan('kept-j'));
    expect(warm.size).toBe(1);
    host.faults.presentDifferentHostKey(); // last test: the host keeps its new key
    const execsBefore = host.stats.execs;
    await expect(workflow().run(bridgePlan('kept-k', { interfaces: `${NEW_INTERFACES}# changed again\n` }))).rejects.toMatchObject({
      name: 'HostKeyMismatchError',
    });
    expect(host.stats.execs - execsBefore).toBe(1); // the facts read only
    // …and the kept connection is closed with it: the next run, a no-op, connects and meets the new key too
    expect(warm.size).toBe(0);
    await expect(workflow().run(bridgePlan('kept-l', { interfaces: `${NEW_INTERFACES}# changed\n` }))).rejects.toMatchObject({
      name: 'HostKeyMismatchError',
    });
  });
});
