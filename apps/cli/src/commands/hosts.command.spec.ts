import type { Server } from 'node:http';
import { fakeApi } from '../../test-support/fake-api';
import { runCli } from '../main';
import { HOSTS_USAGE, hostsCommand } from './hosts.command';

describe('hostnet hosts', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  const ran = [{ hostId: 'h1', hostName: 'kvm1', zoneId: 'z1', zoneName: 'zone1', clusterName: 'cluster1', phase: 'enabled', drifted: false, at: '2026-12-07T10:00:00Z' }];
  const run = async (argv: string[]) => {
    // the filtered list is empty; the whole list has the host
    const fake = await fakeApi((req) => ({ status: 200, body: req.url === '/hosts' ? ran : [] }));
    servers.push(fake.server);
    const out: string[] = [];
    const commands = { hosts: { run: hostsCommand(() => ({ API_TOKEN: 'tok-123' })), usage: HOSTS_USAGE } };
    const code = await runCli(['hosts', ...argv, '--api-url', fake.url], { stdout: (t) => out.push(t), stderr: () => undefined }, commands);
    return { code, stdout: out.join('') };
  };

  it('says no host is drifted, not that hostnet has run none', async () => {
    const r = await run(['--drifted']);
    expect(r).toEqual({ code: 0, stdout: "no host is drifted: no drift check found a host that differs from its intent (DRIFTED in hostnet hosts shows each host's last check)\n" });
    expect(r.stdout).not.toContain('lists only hosts it has run');
  });

  it('says which phase and where no host is in', async () => {
    expect((await run(['--phase', 'failed,rolled-back', '--zone', 'zone1'])).stdout).toBe('no host is in phase failed or rolled-back in zone zone1\n');
  });
});
