import { stringify } from 'yaml';
import { Lab } from '../lab';
import { labStorageAddress } from '../e2e/lab-profiles';
import { runLabPipeline } from '../e2e/lab-run.client';
import type { LabHostReport, LabRunReport } from '../e2e/lab-run.types';

/**
 * A configured host changed through the whole pipeline (simulator, Redis, api, worker over SSH) on
 * real lab hosts: CentOS 7 (network-scripts) and Ubuntu 22.04 (ifupdown), both OVS. Run 1 configures
 * the reference layout; run 2 changes bond0's mode and drops bond1 (eth2 becomes cloudbr1's direct
 * uplink), which `--may-exist add-bond`/`add-port` alone cannot do; run 3 goes back.
 */
const stateDir = `/run/hostnet-lab-change-${process.pid}`;
const HOSTS = ['hne4h01', 'hne4h02'];
const bond = (name: string, members: string[], mode = 'active-backup') => ({ name, members, mode, miimon: 100 });
const PROFILES = {
  bonded: {
    backend: 'ovs',
    networks: [
      { match: { label: 'cloudbr0' }, bond: bond('bond0', ['eth0', 'eth1']) },
      { match: { label: 'cloudbr1' }, bond: bond('bond1', ['eth2', 'eth3']) },
    ],
    extras: [{ name: 'cloudbr100', on: 'cloudbr0', vlan: 100, address: 'storage' }],
  },
  changed: {
    backend: 'ovs',
    networks: [
      { match: { label: 'cloudbr0' }, bond: bond('bond0', ['eth0', 'eth1'], 'balance-slb') },
      { match: { label: 'cloudbr1' }, nic: 'eth2' },
    ],
    extras: [{ name: 'cloudbr100', on: 'cloudbr0', vlan: 100, address: 'storage' }],
  },
};

function profilesYaml(profile: keyof typeof PROFILES): string {
  return stringify({
    version: 1,
    profiles: { [profile]: PROFILES[profile] },
    selectors: [{ profile }],
    hosts: Object.fromEntries(HOSTS.map((h) => [h, { profile, storageAddress: labStorageAddress(h) }])),
  });
}

describe('lab: changing a configured OVS host through the pipeline', () => {
  let lab: Lab;
  const runs: LabRunReport[] = [];
  const host = (run: number, name: string): LabHostReport => runs[run].hosts.find((h) => h.name === name)!;
  const sh = async (name: string, command: string): Promise<string> => {
    const r = await lab.hostExec(name, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${name} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const ovs = async (name: string) => ({
    cloudbr0: (await sh(name, 'ovs-vsctl list-ports cloudbr0')).trim().split('\n'),
    cloudbr1: (await sh(name, 'ovs-vsctl list-ports cloudbr1')).trim().split('\n'),
    bond0: /^bond_mode: (\S+)$/m.exec(await sh(name, 'ovs-appctl bond/show bond0'))?.[1],
  });

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 2, personas: ['centos7', 'ubuntu2204-ifupdown'], ovs: ['ovs', 'ovs'], stateDir, prefix: 'hne4' });
    const snapshots: Record<string, unknown>[] = [];
    for (const profile of ['bonded', 'changed', 'bonded'] as const) {
      runs.push(await runLabPipeline(lab, { profilesYaml: profilesYaml(profile), rollbackSeconds: 30, timeoutMs: 90_000 }));
      snapshots.push(Object.fromEntries(await Promise.all(HOSTS.map(async (h) => [h, await ovs(h)] as const))));
    }
    states = snapshots;
  }, 300_000);
  let states: Record<string, unknown>[] = [];

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it.each(HOSTS)('%s: every run ends enabled and verified', (name) => {
    for (const run of [0, 1, 2]) {
      expect(runs[run].timedOut).toBe(false);
      expect(host(run, name)).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', verification: { ok: true } } });
    }
  });

  it.each(HOSTS)('%s: run 2 changed bond0 to balance-slb and moved eth2 out of bond1 onto cloudbr1, by the planned steps', (name) => {
    const steps = host(1, name).outcome!.steps.map((s) => s.name);
    expect(steps).toEqual(expect.arrayContaining(['ovs-transition-ports', 'ovs-set-bond-bond0']));
    expect(host(1, name).outcome!.steps.every((s) => s.exitCode === 0)).toBe(true);
    expect(states[1][name]).toEqual({ cloudbr0: ['bond0'], cloudbr1: ['eth2'], bond0: 'balance-slb' });
  });

  it.each(HOSTS)('%s: run 3 brought bond1 and active-backup back', (name) => {
    expect(states[0][name]).toEqual({ cloudbr0: ['bond0'], cloudbr1: ['bond1'], bond0: 'active-backup' });
    expect(states[2][name]).toEqual(states[0][name]);
  });

  it('EL: the retired ifcfg-bond1 is removed in run 2 (network restart would rebuild bond1 from it)', () => {
    expect(host(1, 'hne4h01').outcome!.changedFiles).toContain('/etc/sysconfig/network-scripts/ifcfg-bond1');
  });
});
