import { stringify } from 'yaml';
import { Lab } from '../lab';
import { labStorageAddress } from '../e2e/lab-profiles';
import { runLabPipeline } from '../e2e/lab-run.client';
import type { LabHostReport, LabRunReport } from '../e2e/lab-run.types';

/**
 * A configured EL host (network-scripts, Linux bridges) whose bridge port alone changes: run 2 pins
 * eth0 by its MAC, so only ifcfg-eth0 differs. ifdown-eth deletes a bridge its port leaves empty
 * (the lab's ifdown does as it does), taking cloudbr0's address and the default route with it, and
 * ifup of the port re-creates the bridge bare: without cloudbr0's own ifup in between, the host is cut
 * off and its restore plans the same way back. Run 3 takes the pin away again.
 */
const stateDir = `/run/hostnet-lab-el-port-${process.pid}`;
const HOST = 'hne9h01';

function profilesYaml(hwaddr?: string): string {
  const networks = [
    { match: { label: 'cloudbr0' }, nic: 'eth0' },
    { match: { label: 'cloudbr1' }, nic: 'eth2' },
  ];
  return stringify({
    version: 1,
    profiles: { 'linux-nic': { backend: 'linux', networks } },
    selectors: [{ profile: 'linux-nic' }],
    hosts: { [HOST]: { profile: 'linux-nic', storageAddress: labStorageAddress(HOST), ...(hwaddr ? { hwaddrs: { eth0: hwaddr } } : {}) } },
  });
}

describe('lab: an EL Linux bridge whose only port changes (ifdown-eth deletes the emptied bridge)', () => {
  let lab: Lab;
  const runs: LabRunReport[] = [];
  const states: { cloudbr0: string; eth0Master: string }[] = [];
  const host = (run: number): LabHostReport => runs[run]!.hosts.find((h) => h.name === HOST)!;

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['centos7'], ovs: ['linux'], stateDir, prefix: 'hne9' });
    const mac = lab.host(HOST).nics.find((n) => n.name === 'eth0')!.mac;
    for (const hwaddr of [undefined, mac, undefined]) {
      runs.push(await runLabPipeline(lab, { profilesYaml: profilesYaml(hwaddr), rollbackSeconds: 30, timeoutMs: 90_000 }));
      const sh = async (command: string) => (await lab.hostExec(HOST, ['sh', '-c', command])).stdout.trim();
      states.push({
        cloudbr0: await sh('ip -4 -o addr show dev cloudbr0 | awk \'{print $4}\''),
        eth0Master: await sh('basename "$(readlink /sys/class/net/eth0/master)"'),
      });
    }
  }, 300_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('every run ends enabled and verified, with the management address on cloudbr0 over eth0', () => {
    const address = `${lab.host(HOST).managementIp}/${lab.host(HOST).prefix}`;
    for (const run of [0, 1, 2]) {
      expect(runs[run]!.timedOut).toBe(false);
      expect(host(run)).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', verification: { ok: true } } });
      expect(states[run]).toEqual({ cloudbr0: address, eth0Master: 'cloudbr0' });
    }
  });

  it('runs 2 and 3 change only ifcfg-eth0, and bring cloudbr0 up from its file between the port going down and up', () => {
    for (const run of [1, 2]) {
      expect(host(run).outcome!.changedFiles).toEqual(['/etc/sysconfig/network-scripts/ifcfg-eth0']);
      const steps = host(run).outcome!.steps.map((s) => s.name);
      const at = (name: string) => steps.indexOf(name);
      expect(at('activate-ifdown-eth0')).toBeGreaterThanOrEqual(0);
      expect(at('activate-ifdown-eth0')).toBeLessThan(at('activate-ifup-cloudbr0'));
      expect(at('activate-ifup-cloudbr0')).toBeLessThan(at('activate-ifup-eth0'));
    }
  });
});
