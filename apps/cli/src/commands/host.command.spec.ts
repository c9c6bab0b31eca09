import type { Server } from 'node:http';
import { fakeApi } from '../../test-support/fake-api';
import { runCli } from '../main';
import { HOST_USAGE, hostCommand } from './host.command';

describe('hostnet host: a host a rollout left in Maintenance', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => (s.closeAllConnections(), s.close())));
  const failed = {
    hostId: 'h3', hostName: 'kvm3', phase: 'failed', at: '2026-12-07T10:00:00Z', runId: 'run-7', reason: 'SshUnreachableError: connect ETIMEDOUT',
    trigger: { kind: 'operator', by: 'relabel rl-1' }, relabel: { rolloutId: 'rl-1', layout: 'new' },
  };
  const run = async (rollout: unknown) => {
    const fake = await fakeApi((req) => (req.url === '/hosts/kvm3' ? { status: 200, body: { latest: failed, history: [failed] } } : req.url === '/relabels/rl-1' && rollout ? { status: 200, body: rollout } : { status: 500, body: {} }));
    servers.push(fake.server);
    const out: string[] = [];
    const commands = { host: { run: hostCommand(() => ({ API_TOKEN: 'tok-123' })), usage: HOST_USAGE } };
    const code = await runCli(['host', '--host', 'kvm3', '--api-url', fake.url], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, commands);
    return { code, stdout: out.join('') };
  };

  it('says it is in Maintenance, which rollout left it at which layout, and the recovery in order', async () => {
    const { code, stdout } = await run({ id: 'rl-1', state: 'aborted', hosts: { h3: { hostId: 'h3', leftInMaintenance: true, layout: 'both', unverified: 'new' } } });
    expect(code).toBe(0);
    expect(stdout).toContain(
      'maintenance: CloudStack has the host in Maintenance, left there by rollout rl-1 (aborted) at layout new attempted and not verified, layout both the last verified; it stays there until a run of it verifies\n' +
        '  recovery: 1. configure it (hostnet configure --host kvm3) until the run verifies; 2. then end the maintenance in CloudStack (cancelHostMaintenance)\n',
    );
  });

  it('says nothing of it once the rollout ended the maintenance, nor when the rollout cannot be read', async () => {
    expect((await run({ id: 'rl-1', state: 'aborted', hosts: { h3: { hostId: 'h3', layout: 'old' } } })).stdout).not.toContain('maintenance:');
    expect((await run(undefined)).stdout).toContain('reason: SshUnreachableError');
  });
});
