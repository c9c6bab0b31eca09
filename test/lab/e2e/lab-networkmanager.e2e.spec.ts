import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../lab';
import { labProfilesYaml } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabRunReport } from './lab-run.types';

/**
 * A Rocky 9 host whose networking is the real NetworkManager (a private system D-Bus and
 * `NetworkManager --no-daemon` inside the host, test/lab/standins/lab-nm), as its installer left it: a
 * keyfile giving eth0 the management address. hostnet's keyfiles replace it inside the run (the
 * installer's file goes into the run's backup), NetworkManager activates the bridge over eth0, the host
 * is verified and enabled, and a re-run changes nothing.
 */
const stateDir = `/run/hostnet-lab-nm-${process.pid}`;
const NAME = 'hne7h01';
/** Asks for Linux bonds, which this kernel cannot make (no bonding module): the run must leave it as it was. */
const REFUSED = 'hne7h02';
const PROFILES = { [NAME]: 'linux-nic', [REFUSED]: 'linux-bonded' } as const;

describe('lab: NetworkManager applied for real (Rocky 9 persona)', () => {
  let lab: Lab;
  let first: LabRunReport;
  let refusedBefore: string[];
  const sh = async (command: string, host = NAME): Promise<string> => {
    const r = await lab.hostExec(host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${host} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  /** Files, links, addresses, routes and NetworkManager's active connections, as a run must leave them. */
  const hostView = (host: string) =>
    Promise.all([
      sh('cd /etc/NetworkManager/system-connections && for f in *; do echo "== $f"; cat "$f"; done', host),
      sh("ip -o link show | sed 's/^[0-9]*: //; s/ qdisc.*//' | sort", host),
      sh('ip -4 -o addr show | sort', host),
      sh('ip route show | sort', host),
      sh('nmcli -t -f NAME,UUID,DEVICE connection show --active | sort', host),
    ]);

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 2, personas: ['rocky9'], ovs: ['linux'], stateDir, prefix: 'hne7' });
    refusedBefore = await hostView(REFUSED);
    first = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), rollbackSeconds: 30, timeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it("the installer's keyfile for eth0 went into the run's backup", async () => {
    // read from the run's backup: the live file is hostnet's by now
    const backup = await sh('cat /var/lib/hostnet/backups/*/files/etc/NetworkManager/system-connections/eth0.nmconnection');
    expect(backup).toMatch(/^id=eth0$/m);
    expect(backup).toMatch(new RegExp(`^address1=${lab.host(NAME).managementIp.replace(/\./g, '\\.')}/24,10\\.255\\.0\\.1$`, 'm'));
  });

  it('Disabled → enabled through NetworkManager: cloudbr0 over eth0 holds the address and the default route', async () => {
    expect(first.timedOut).toBe(false);
    const host = first.hosts.find((h) => h.name === NAME)!;
    expect(host).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', target: 'networkmanager-linux', verification: { ok: true } } });
    expect(first.cloudstack.resourceState[NAME]).toBe('Enabled');

    const active = await sh('nmcli -t -f NAME,DEVICE connection show --active');
    for (const line of ['cloudbr0:cloudbr0', 'eth0:eth0', 'cloudbr1:cloudbr1', 'eth2:eth2']) expect(active.split('\n')).toContain(line);
    expect(await sh('ip -o link show eth0')).toMatch(/master cloudbr0/);
    expect(await sh('ip -4 -o addr show')).toMatch(new RegExp(`cloudbr0\\s+inet ${lab.host(NAME).managementIp.replace(/\./g, '\\.')}/24`));
    expect(await sh('ip -4 -o addr show dev eth0')).toBe('');
    expect(await sh('ip route show default')).toMatch(/^default via 10\.255\.0\.1 dev cloudbr0/m);
    expect(await sh('cat /etc/NetworkManager/system-connections/eth0.nmconnection')).toMatch(/^master=cloudbr0$/m);
    expect((await lab.sshExec(NAME, 'hostname')).stdout.trim()).toBe(NAME);
  });

  it('a run the kernel refuses (Linux bonds) is rolled back: keyfiles, links, addresses, routes and active connections as before', async () => {
    const refused = first.hosts.find((h) => h.name === REFUSED)!;
    expect(refused.phase).not.toBe('enabled');
    expect(['rolled-back', 'failed']).toContain(refused.outcome?.status);
    expect(first.cloudstack.resourceState[REFUSED]).not.toBe('Enabled');
    expect(await hostView(REFUSED)).toEqual(refusedBefore);
  });

  it('a re-run is a no-op: no keyfile written, no connection re-activated', async () => {
    const activations = () => readFileSync(join(stateDir, 'hosts', NAME, 'NetworkManager.log'), 'utf8').split('Activation: starting connection').length - 1;
    const snapshot = async () => [await sh('stat -c "%n %Y %s" /etc/NetworkManager/system-connections/*; nmcli -t -f UUID,DEVICE,STATE connection show --active'), activations()];
    const before = await snapshot();
    const again = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), hosts: [NAME], rollbackSeconds: 30, timeoutMs: 60_000 });
    expect(again.hosts.find((h) => h.name === NAME)).toMatchObject({ phase: 'enabled', outcome: { status: 'no-op', changedFiles: [], steps: [] } });
    expect(await snapshot()).toEqual(before);
  }, 90_000);
});
