import { statSync } from 'node:fs';
import { join } from 'node:path';
import { HostWorkflowService, type HostWorkflowPlan } from '@hostnet/apply';
import { SshConnector } from '@hostnet/ssh';
import { SimulatedKvmHost } from '../../../apps/simulator/src/kvm-host';
import { SshTestKit } from '../ssh/ssh-test-kit';
import { cloudbr0Expectation } from './support/bridge-plan';

// The workflow over real SSH (E's SshConnector) against E's simulated KVM host (real /bin/sh, stand-ins).
describe('HostWorkflowService over SSH against a simulated KVM host', () => {
  const kit = new SshTestKit();
  let host: SimulatedKvmHost;
  let service: HostWorkflowService;

  beforeAll(async () => {
    host = await SimulatedKvmHost.start({ name: 'kvm-apply', persona: 'ubuntu2404', authorizedKeys: [kit.publicKey] });
    const knownHostsPath = kit.pinnedKnownHosts(host);
    const connector = new SshConnector();
    service = new HostWorkflowService(
      () => connector.connect(kit.endpoint(host), { knownHostsPath, trustOnFirstUse: false, connectTimeoutMs: 3000, commandTimeoutMs: 10_000 }),
      { rollbackSeconds: 5, reconnectIntervalMs: 200, reconnectTimeoutMs: 4000 },
    );
  });
  afterAll(async () => {
    await host.stop();
    kit.cleanup();
  });

  const plan = (runId: string): HostWorkflowPlan => ({
    runId,
    specHash: 'sshspec1',
    render: (facts) => {
      expect(facts.osRelease.VERSION_ID).toBe('24.04');
      return {
        target: 'netplan-linux',
        files: [
          {
            path: '/etc/netplan/60-hostnet.yaml',
            content: 'network:\n  version: 2\n  ethernets:\n    eth0: {}\n  bridges:\n    cloudbr0:\n      interfaces: [eth0]\n      addresses: [192.168.100.10/24]\n',
            mode: 0o600,
          },
        ],
        removes: [],
        steps: [{ name: 'netplan-apply', argv: ['netplan', 'apply'], phase: 'activate' }],
      };
    },
    expected: cloudbr0Expectation('192.168.100.10'),
  });

  it('applies with 4 round trips, then a re-run is a 1-round-trip no-op that writes nothing', async () => {
    const first = await service.run(plan('ssh-a'));
    expect(first.reason).toBeUndefined();
    expect(first.status).toBe('applied');
    expect(first.roundTrips.total).toBe(4);
    expect(first.verification.ok).toBe(true);
    const file = join(host.rootDir, 'etc/netplan/60-hostnet.yaml');
    const mtime = statSync(file).mtimeMs;

    const second = await service.run(plan('ssh-b'));
    expect(second.status).toBe('no-op');
    expect(second.roundTrips).toEqual({ facts: 1, apply: 0, verify: 0, confirm: 0, total: 1 });
    expect(statSync(file).mtimeMs).toBe(mtime);
  });
});
