import { parseFacts } from '@hostnet/apply';
import type { HostNetworkIntent, LiveState } from '@hostnet/intent';
import { expectedLiveState } from '@hostnet/intent';
import { type ApplyStep, type RenderedFile, renderHost } from '@hostnet/render';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { renameBridge } from '../../../libs/render/test/support/intent-variants';
import { Lab } from '../lab';

/**
 * A Linux bridge renamed by CloudStack (cloudbr1 → cloudbr9), on a real Debian 12 lab host with real
 * ifupdown and bridges (this kernel has no bonding, so bonds are proven by the unit tables and the
 * tools' checks only). `networking restart` alone leaves the old bridge holding the NIC; the planned
 * release + delete before it make the new bridge get it. The restore (old files, undo steps, old
 * activation) brings the old bridges back with their ports.
 */
const prefix = `hnl${process.pid % 1000}`;
const stateDir = `/run/hostnet-lab-linux-transition-${process.pid}`;
const TARGET = 'debian-ifupdown-linux';

function intentFor(address: string): HostNetworkIntent {
  return {
    hostId: 'lab-linux-transition',
    hostname: 'labhost',
    backend: 'linux',
    nics: [{ name: 'eth0', bridge: 'cloudbr0' }, { name: 'eth2', bridge: 'cloudbr1' }],
    bonds: [],
    vlans: [],
    bridges: [
      { name: 'cloudbr0', role: 'traffic-label', trafficTypes: ['Management', 'Guest'], uplink: 'eth0', address: { address, prefix: 24 }, gateway: '10.255.0.1', stp: false, forwardDelay: 0 },
      { name: 'cloudbr1', role: 'traffic-label', trafficTypes: ['Public'], uplink: 'eth2', stp: false, forwardDelay: 0 },
    ],
    routes: [],
    dns: { nameservers: [], search: [] },
    managementBridge: 'cloudbr0',
    managementAddress: { address, prefix: 24 },
    defaultGateway: '10.255.0.1',
    vlanSplinters: false,
  };
}

describe('lab: a renamed Linux bridge, planned from the live state (Debian 12, ifupdown)', () => {
  let lab: Lab;
  let host: string;
  let before: LiveState;
  let old: HostNetworkIntent;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  /** Links in name order: a bridge re-created by ifup is listed later by `ip link` but is the same. */
  const live = async (): Promise<LiveState> => {
    const state = parseFacts(await sh(FACTS_SCRIPT)).live;
    return { ...state, links: [...state.links].sort(byName) };
  };
  const write = (files: RenderedFile[]) =>
    sh(files.map((f) => `printf '%s' '${Buffer.from(f.content).toString('base64')}' | base64 -d > ${f.path}`).join(' && '));
  const run = async (steps: ApplyStep[]) => {
    for (const step of steps) {
      const r = await lab.hostExec(host, step.argv, { timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(`step ${step.name} (${step.argv.join(' ')}) exited ${r.code}: ${r.stderr}`);
    }
  };
  const ports = (state: LiveState, bridge: string) => state.links.find((l) => l.name === bridge && l.kind === 'bridge')?.members;
  /** The old configuration, applied as hostnet applies it (files, then activation). */
  const configureOld = async () => {
    const config = renderHost(old, TARGET);
    await write(config.files);
    await run(config.steps);
  };

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['debian12'], ovs: ['linux'], stateDir, prefix });
    host = lab.inventory.hosts[0].name;
    old = intentFor(lab.inventory.hosts[0].managementIp);
    await configureOld();
    before = await live();
  }, 90_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('the old configuration is in place: cloudbr0 over eth0, cloudbr1 over eth2', () => {
    expect(ports(before, 'cloudbr0')).toEqual(['eth0']);
    expect(ports(before, 'cloudbr1')).toEqual(['eth2']);
  });

  it('without the transition, networking restart leaves eth2 in the old bridge (why the steps exist)', async () => {
    const naive = renderHost(renameBridge(old, 'cloudbr1', 'cloudbr9'), TARGET);
    await write(naive.files);
    await lab.hostExec(host, naive.steps.at(-1)!.argv, { timeoutMs: 60_000 });
    const after = await live();
    expect(ports(after, 'cloudbr1')).toEqual(['eth2']);
    expect(ports(after, 'cloudbr9') ?? []).toEqual([]);
    await sh('ip link del cloudbr9 2>/dev/null; true');
    await configureOld();
    expect(await live()).toEqual(before);
  }, 90_000);

  it('with it: eth2 is released and cloudbr1 deleted before activation; cloudbr9 gets eth2; a second plan is empty', async () => {
    const renamed = renameBridge(old, 'cloudbr1', 'cloudbr9');
    const config = renderHost(renamed, TARGET, { live: before, previous: expectedLiveState(old) });
    expect(config.steps.map((s) => s.name)).toEqual(['release-eth2', 'link-del-cloudbr1', 'sysctl-bridge', 'networking-restart']);
    await write(config.files);
    await run(config.steps);
    const after = await live();
    expect(ports(after, 'cloudbr9')).toEqual(['eth2']);
    expect(after.links.some((l) => l.name === 'cloudbr1')).toBe(false);
    expect(ports(after, 'cloudbr0')).toEqual(['eth0']);
    const again = renderHost(renamed, TARGET, { live: after, previous: expectedLiveState(renamed) });
    expect(again.steps).toEqual(renderHost(renamed, TARGET).steps);

    // Restore as the on-host restore does it: old files back, the bridge the run made deleted (nothing of
    // anyone else's on it), the undo steps, then the old activation.
    await write(renderHost(old, TARGET).files);
    await sh('ip link del cloudbr9');
    await run(config.undoSteps ?? []);
    await run(renderHost(old, TARGET).steps);
    expect(await live()).toEqual(before);
  }, 90_000);
});
