import { Lab } from '../lab';
import type { LabPersona } from '../lab-inventory';
import type { LabVm } from './lab-vm';
import { AGENT_PROPERTIES, NEW, OLD, ROUTER, runRelabelRollout, type RolloutRun } from './relabel-rollout.scenario';

/**
 * Issue 9's acceptance on real OVS hosts: the normal pipeline configures and enables the lab hosts, then
 * Public (physnet2, cloudbr1) is relabelled to cloudbr9 through api (plan → start → poll), maintenance
 * required, one host at a time. Each host has a "VM" on cloudbr1 pinging the lab router every 50 ms for
 * the whole rollout; every loss is placed in time against the host's own maintenance window, read from
 * the simulator's call log (relabel-rollout.scenario.ts).
 */
function labFor(personas: LabPersona[], tag: string) {
  const state = { lab: undefined as Lab | undefined, vms: [] as LabVm[] };
  beforeAll(async () => {
    state.lab = await Lab.up({ hosts: personas.length, personas, ovs: 'all', stateDir: `/run/hostnet-lab-rollout-${tag}-${process.pid}`, prefix: `hn${tag}${process.pid % 1000}` });
  }, 180_000);
  afterAll(async () => {
    await Promise.allSettled(state.vms.map((vm) => vm.stop()));
    await state.lab?.down();
  }, 60_000);
  const sh = async (host: string, command: string): Promise<string> => {
    const r = await state.lab!.hostExec(host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${host} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const ok = async (host: string, command: string) => (await state.lab!.hostExec(host, ['sh', '-c', command])).code === 0;
  /** Runs the rollout and checks what every scenario shares. */
  const rollout = async (migrate: boolean) => {
    const names = state.lab!.inventory.hosts.map((h) => h.name);
    const run = await runRelabelRollout(state.lab!, { migrate, personas, vms: state.vms });
    expectRolloutDone(run, names);
    return { names, run };
  };
  /** Whether the old bridge exists, the bridges of the uplink and of the VM, whether the VM reaches the router. */
  const placement = async (host: string, i: number) => ({
    host,
    old: await ok(host, `ovs-vsctl br-exists ${OLD}`),
    uplink: (await sh(host, 'ovs-vsctl port-to-br eth2')).trim(),
    vm: await state.vms[i]!.bridge(),
    reaches: await state.vms[i]!.reaches(ROUTER),
  });
  return { state, sh, rollout, placement };
}

/** Done with one flip, every host Up+Enabled after a verified expand and contract, no loss outside a host's maintenance. */
function expectRolloutDone({ report, relabel, figures }: RolloutRun, names: string[]): void {
  expect(report.hosts.map((h) => `${h.name} ${h.phase}`)).toEqual(names.map((n) => `${n} enabled`));
  expect({ state: relabel.state, reason: relabel.reason, planError: relabel.planError, timedOut: relabel.timedOut }).toEqual({ state: 'done', reason: undefined, planError: undefined, timedOut: false });
  expect(relabel.calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.label)).toEqual([NEW]);
  expect(relabel.labels['Public']).toBe(NEW);
  for (const host of names) {
    expect({ host, steps: relabel.steps[host] }).toEqual({ host, steps: ['expand both verified', 'contract new verified'] });
    expect({ host, ...relabel.hosts[host] }).toEqual({ host, state: 'Up', resourceState: 'Enabled' });
  }
  const seen = figures.map((f) => ({ host: f.host, windows: f.windows, pinged: f.loss.received >= 200, lostOutside: f.loss.lostOutside, at: f.loss.lostOutsideAt.map((t) => new Date(t).toISOString()) }));
  expect(seen).toEqual(names.map((host) => ({ host, windows: 1, pinged: true, lostOutside: 0, at: [] })));
}

describe('lab: a relabel rollout of Public through api on 3 OVS hosts, each VM migrated in its host\'s maintenance', () => {
  const personas: LabPersona[] = ['centos7', 'ubuntu2204-ifupdown', 'centos7'];
  const { sh, rollout, placement } = labFor(personas, 'w');

  it('ends done with one label flip, every host Up+Enabled on cloudbr9 without cloudbr1, and no VM loses a packet outside its host\'s maintenance', async () => {
    const { names, run } = await rollout(true);
    for (const [i, host] of names.entries()) {
      expect({ host, migrations: run.relabel.migrations.filter((m) => m.host === host).map((m) => m.code) }).toEqual({ host, migrations: [0] });
      expect(await placement(host, i)).toEqual({ host, old: false, uplink: NEW, vm: NEW, reaches: true });
      expect({ host, patch: (await sh(host, `ovs-vsctl list-ports ${NEW}`)).split('\n').filter((p) => p.startsWith('pt-')) }).toEqual({ host, patch: [] });
      // what a reboot would bring up names only the new bridge; the agent was restarted by the first configure
      // (which made the bridges it had not mapped), the expand and the contract
      expect({ host, persisted: (await sh(host, `grep -rlw ${OLD} /etc/sysconfig/network-scripts /etc/network 2>/dev/null || true`)).trim() }).toEqual({ host, persisted: '' });
      expect({ host, agent: await sh(host, 'cat /etc/cloudstack/agent/agent.properties'), restarts: (await sh(host, 'cat /run/lab/cloudstack-agent.log')).trim().split('\n').length }).toEqual({
        host,
        agent: AGENT_PROPERTIES.replace(`=${OLD}`, `=${NEW}`),
        restarts: 3,
      });
    }
  }, 600_000);
});

describe('lab: the same rollout on 2 OVS hosts with a VM CloudStack does not migrate', () => {
  const personas: LabPersona[] = ['centos7', 'ubuntu2204-ifupdown'];
  const { sh, rollout, placement } = labFor(personas, 'v');

  it('the contract moves the uplink but keeps cloudbr1 and its patch pair while the VM is on it: no packet lost outside maintenance', async () => {
    const { names, run } = await rollout(false);
    expect(run.relabel.migrations).toEqual([]);
    for (const [i, host] of names.entries()) {
      expect(await placement(host, i)).toEqual({ host, old: true, uplink: NEW, vm: OLD, reaches: true });
      expect({ host, link: await sh(host, 'ovs-vsctl port-to-br pt-cloudbr9; ovs-vsctl port-to-br pt-cloudbr1; ovs-vsctl get interface pt-cloudbr9 options:peer') }).toEqual({ host, link: `${OLD}\n${NEW}\npt-cloudbr1\n` });
    }
  }, 600_000);
});
