import { liveDifferences, parseFacts } from '@hostnet/apply';
import type { HostNetworkIntent, LiveState } from '@hostnet/intent';
import { expectedLiveState } from '@hostnet/intent';
import { type ApplyStep, renderHost } from '@hostnet/render';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { renameBridge, withBond, withBonds, withoutBond1 } from '../../../libs/render/test/support/intent-variants';
import { Lab } from '../lab';
import { OVS_ROWS_COMMAND, type OvsRows, parseOvsRows } from './ovs-rows';

/**
 * Every change of a configured host, for real on a lab host's own Open vSwitch: the live state is
 * read with hostnet's facts script, the transition planned by renderHost({ live, previous }) runs
 * step by step (as the apply script runs them: argv inside the host), the host then matches the new
 * intent and a second plan is empty; the restore's removal of the bridges the run made and the undo steps
 * then put every Bridge/Port/Interface row back.
 */
const prefix = `hnt${process.pid % 1000}`;
const stateDir = `/run/hostnet-lab-transition-${process.pid}`;
const A = ubuntuOvsIntent;
const TARGET = 'el-network-scripts-ovs';

describe('lab: OVS transitions from the live state, and their undo', () => {
  let lab: Lab;
  let host: string;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const facts = async () => parseFacts(await sh(`${FACTS_SCRIPT.replace(/^set -eu\n/, 'set -eu\nexec </dev/null\n')}`));
  const rows = async (): Promise<OvsRows> => parseOvsRows(await sh(OVS_ROWS_COMMAND));
  const run = async (steps: ApplyStep[]) => {
    for (const step of steps) {
      const r = await lab.hostExec(host, step.argv);
      if (r.code !== 0) throw new Error(`step ${step.name} (${step.argv.join(' ')}) exited ${r.code}: ${r.stderr}`);
    }
  };
  /** The intent with the lab host's own management address, as CloudStack would give it (the run keeps it, moving it to the bridge). */
  const ownAddress = (intent: HostNetworkIntent): HostNetworkIntent => {
    const { managementIp, prefix: bits } = lab.host(host);
    const address = { address: managementIp, prefix: bits };
    return { ...intent, managementAddress: address, bridges: intent.bridges.map((b) => (b.name === intent.managementBridge ? { ...b, address } : b)) };
  };
  const plan = (intent: HostNetworkIntent, live: LiveState, previous?: LiveState) => {
    const config = renderHost(ownAddress(intent), TARGET, { ovsDatapathType: 'netdev', live, ...(previous ? { previous } : {}) });
    return { steps: config.steps.filter((s) => s.phase === 'live'), undo: config.undoSteps ?? [], removes: config.removes };
  };
  /** A clean OVS, then `setup` (hostnet's from-scratch steps for an intent, or a hand-made config). */
  const reset = async (setup: string) => {
    await sh('for b in $(ovs-vsctl list-br); do ovs-vsctl --if-exists del-br "$b"; done; ip link del vnet0 2>/dev/null; ip link del vnet1 2>/dev/null; true');
    await sh(setup);
  };
  const configured = (intent: HostNetworkIntent) =>
    renderHost(intent, TARGET, { ovsDatapathType: 'netdev' })
      .steps.filter((s) => s.phase === 'live')
      .map((s) => s.argv.map((w) => `'${w}'`).join(' '))
      .join(' && ');

  /** As the on-host restore does it: the bridges the run made go first (none holds a port hostnet does not own here), then the undo. */
  const restore = async (bridgesBefore: string, undo: ApplyStep[]) => {
    const known = bridgesBefore.split('\n').filter(Boolean).join(' ');
    await sh(`for b in $(ovs-vsctl list-br); do case " ${known} " in *" $b "*) ;; *) ovs-vsctl --if-exists del-br "$b" ;; esac; done`);
    await run(undo);
  };

  /** Before → steps → intent reached, re-plan empty → restore → rows exactly as before (also after any prefix of the steps). */
  async function transition(intent: HostNetworkIntent, previous: LiveState | undefined, expectSteps: string[]) {
    const before = await rows();
    const bridgesBefore = await sh('ovs-vsctl list-br');
    const live = (await facts()).live;
    const { steps, undo } = plan(intent, live, previous);
    expect(steps.map((s) => s.name)).toEqual(expectSteps);
    // A failed run may stop after any step: the undo must restore the rows from each of those points.
    for (let done = 0; done < steps.length; done += 1) {
      await run(steps.slice(0, done));
      await restore(bridgesBefore, undo);
      expect(await rows()).toEqual(before);
    }
    await run(steps);
    const after = (await facts()).live;
    // Links come up and addresses move at activation (ifup), not in these OVS steps.
    const wanted = expectedLiveState(intent);
    expect(liveDifferences({ links: wanted.links.map(({ up: _up, ...l }) => l), addresses: [], routes: [] }, after)).toEqual([]);
    for (const bond of intent.bonds) expect(after.links.find((l) => l.name === bond.name)?.ovsPort?.bondMode).toBe(bond.mode);
    expect(plan(intent, after).steps).toEqual([]);
    const changed = await rows();
    await restore(bridgesBefore, undo);
    expect(await rows()).toEqual(before);
    return { before, changed };
  }

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['centos7'], ovs: ['ovs'], stateDir, prefix });
    host = lab.inventory.hosts[0].name;
  }, 60_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('a configured host: no step at all, nothing to undo', async () => {
    await reset(configured(A));
    expect(plan(A, (await facts()).live, expectedLiveState(A))).toMatchObject({ steps: [], undo: [] });
  }, 30_000);

  it('swap members between bond0 and bond1 (add-bond alone refuses: "bond0 actually has interface(s)")', async () => {
    await reset(configured(A));
    const swapped = withBonds(A, ['eth0', 'eth2'], ['eth1', 'eth3']);
    const naive = await lab.hostExec(host, renderHost(swapped, TARGET, { ovsDatapathType: 'netdev' }).steps.find((s) => s.name === 'ovs-add-bond-bond0')!.argv);
    expect(naive.stderr).toMatch(/actually has interface/);
    await transition(swapped, expectedLiveState(A), ['ovs-transition-ports']);
  }, 30_000);

  it('change a bond mode (and LACP) with set port', async () => {
    await reset(configured(A));
    await transition(withBond(A, 'bond0', { mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast' }), expectedLiveState(A), ['ovs-set-bond-bond0']);
  }, 30_000);

  it('change members: bond1 dropped, eth2 joins bond0, eth3 becomes cloudbr1 direct uplink', async () => {
    await reset(configured(A));
    await transition(withoutBond1(A), expectedLiveState(A), ['ovs-transition-ports']);
  }, 30_000);

  it('rename a bridge: cloudbr1 → cloudbr9, the old one (hostnet-made, emptied) removed, recreated by the undo', async () => {
    await reset(configured(A));
    const { changed } = await transition(renameBridge(A, 'cloudbr1', 'cloudbr9'), expectedLiveState(A), ['ovs-add-br-cloudbr9', 'ovs-transition-ports', 'ovs-del-br-cloudbr1']);
    expect(Object.keys(changed.bridge)).toEqual(['cloud0', 'cloudbr0', 'cloudbr9']);
  }, 30_000);

  it('a config made by hand before hostnet: its bond and port give up the NICs, the hand-made bridge stays', async () => {
    await reset(
      'ovs-vsctl add-br ovsbr0 -- set bridge ovsbr0 datapath_type=netdev && ovs-vsctl add-bond ovsbr0 uplink0 eth0 eth1 -- set port uplink0 bond_mode=balance-slb' +
        ' other_config:bond-rebalance-interval=0 && ovs-vsctl add-port ovsbr0 eth2 tag=20 -- set interface eth2 other_config:enable-vlan-splinters=true',
    );
    const { changed } = await transition(A, undefined, ['ovs-add-br-cloudbr0', 'ovs-add-br-cloudbr1', 'ovs-add-br-cloud0', 'ovs-transition-ports', 'ovs-add-fake-br-cloudbr100']);
    expect([changed.bridge.ovsbr0.ports].flat()).toEqual(['ovsbr0']);
  }, 30_000);

  it('VM taps and the agent\'s bridges are left exactly as they were by the steps and by the undo', async () => {
    await reset(
      `${configured(A)} && ip tuntap add vnet0 mode tap && ip tuntap add vnet1 mode tap && ovs-vsctl add-port cloudbr100 vnet0 && ` +
        'ovs-vsctl add-br brbond0-200 cloudbr0 200 && ovs-vsctl add-port brbond0-200 vnet1',
    );
    const agent = (r: OvsRows) => ({ ports: ['vnet0', 'vnet1', 'brbond0-200'].map((p) => r.port[p]), ifaces: ['vnet0', 'vnet1'].map((i) => r.interface[i]) });
    const swapped = withBonds(renameBridge(A, 'cloudbr1', 'cloudbr9'), ['eth0', 'eth2'], ['eth1', 'eth3']);
    const { before, changed } = await transition(swapped, expectedLiveState(A), ['ovs-add-br-cloudbr9', 'ovs-transition-ports', 'ovs-del-br-cloudbr1']);
    expect(agent(changed)).toEqual(agent(before));
    expect(before.port.vnet1.tag).toBe(200);
  }, 30_000);
});
