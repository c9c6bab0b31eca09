import { expectedLiveState, type HostNetworkIntent, type LiveLink, type LiveState } from '@hostnet/intent';
import { centosOvsIntent } from '../../test/fixtures/reference-intents';
import { withBond } from '../../test/support/intent-variants';
import { ovsLiveOf } from '../../test/support/ovs-live-of';
import { stableUuid } from '../format/stable-uuid';
import { renderHost } from '../render-host';
import type { PreviousFiles } from './activation-steps';

const TARGET = 'networkmanager-ovs';
const profile = (id: string) => `/etc/NetworkManager/system-connections/${id}.nmconnection`;
/** `nmcli connection up` of hostnet's profile `id`, by the uuid it wrote. */
const up = (id: string) => `nmcli connection up uuid ${stableUuid(centosOvsIntent.hostId, id)}`;

/** The host running `intent` through NetworkManager, as facts read it, plus `extra` links (VM taps). */
function hostLive(intent: HostNetworkIntent, extra: LiveLink[] = []): LiveState {
  const expected = expectedLiveState(intent);
  return { ...expected, links: [...ovsLiveOf(intent).links.map((l) => ({ ...l, up: true })), ...extra] };
}
const tap = (name: string, bridge: string): LiveLink => ({ name, kind: 'nic', master: bridge, up: true });

/** The host's files: hostnet's rendering of `intent`, with `edited`'s profile changed by hand. */
function filesOf(intent: HostNetworkIntent, edited?: string): PreviousFiles {
  return new Map(renderHost(intent, TARGET).files.map((f) => [f.path, { content: f.path === edited ? `${f.content}# hand edit\n` : f.content }]));
}
const render = (intent: HostNetworkIntent, previousFiles: PreviousFiles | undefined, live: LiveState) => renderHost(intent, TARGET, { live, previous: live, ...(previousFiles ? { previousFiles } : {}) });
const nmcli = (config: ReturnType<typeof renderHost>) => config.steps.filter((s) => s.argv[0] === 'nmcli').map((s) => s.argv.join(' '));

describe('networkmanager-ovs activation limited to what changes', () => {
  it('a blank host: every bridge is brought up with its ports, as the full activation does', () => {
    const blank = renderHost(centosOvsIntent, TARGET, { previousFiles: new Map() });
    expect(blank.steps).toEqual(renderHost(centosOvsIntent, TARGET).steps);
    expect(nmcli(blank)).toEqual(['nmcli connection reload', up('ovs-bridge-cloudbr0'), up('ovs-bridge-cloudbr1'), up('ovs-bridge-cloud0')]);
  });

  it("only cloudbr1's internal interface profile changed: that profile alone is brought up, cloudbr0 (management, bond0, the VMs' taps) is not touched", () => {
    const live = hostLive(centosOvsIntent, [tap('vnet0', 'cloudbr0'), tap('vnet1', 'cloudbr100')]);
    const r = render(centosOvsIntent, filesOf(centosOvsIntent, profile('ovs-interface-cloudbr1')), live);
    expect(r.refusal).toBeUndefined();
    expect(nmcli(r)).toEqual(['nmcli connection reload', up('ovs-interface-cloudbr1')]);
    expect(r.steps.map((s) => s.name)).not.toContain('nmcli-up-cloudbr0');
    expect(r.steps.filter((s) => s.argv.some((a) => a.includes('cloudbr0') || a === stableUuid(centosOvsIntent.hostId, 'ovs-bridge-cloudbr0')))).toEqual([]);
  });

  it("bond1's options change: its ovs-port profile is brought up (its NICs come along), not its bridge", () => {
    const changed = withBond(centosOvsIntent, 'bond1', { mode: 'balance-slb' });
    const r = render(changed, filesOf(centosOvsIntent), hostLive(centosOvsIntent, [tap('vnet2', 'cloudbr1')]));
    expect(r.refusal).toBeUndefined();
    expect(nmcli(r)).toEqual(['nmcli connection reload', up('ovs-port-bond1')]);
  });

  it('nothing changed or drifted: no profile is re-activated; a bond that left its bridge is brought back by its own port profile', () => {
    expect(nmcli(render(centosOvsIntent, filesOf(centosOvsIntent), hostLive(centosOvsIntent)))).toEqual(['nmcli connection reload']);
    const live = hostLive(centosOvsIntent);
    const drifted = { ...live, links: live.links.map((l) => (l.name === 'bond1' ? { ...l, master: undefined } : l)) };
    expect(nmcli(render(centosOvsIntent, filesOf(centosOvsIntent), drifted))).toEqual(['nmcli connection reload', up('ovs-port-bond1')]);
  });

  it('a changed ovs-bridge profile of a bridge carrying VM taps (its own and its fake bridge\'s) is refused, naming them and the fix; without taps it runs', () => {
    const occupied = hostLive(centosOvsIntent, [tap('vnet0', 'cloudbr0'), tap('vnet1', 'cloudbr100'), tap('vnet9', 'cloudbr1')]);
    const r = render(centosOvsIntent, filesOf(centosOvsIntent, profile('ovs-bridge-cloudbr0')), occupied);
    expect(r.refusal).toMatch(
      /^NmOvsBridgeReactivationError: this run's activation would re-activate the NetworkManager OVS bridge cloudbr0 \(carrying vnet0, vnet1\): `nmcli connection up` of an ovs-bridge profile brings the bridge up anew.*nothing was changed; fix: migrate or stop the VMs on cloudbr0 \(put the host in Maintenance\).*keep the host's ovs-bridge-cloudbr0 profile as it is/,
    );
    expect(r.steps).toEqual([]);
    const empty = render(centosOvsIntent, filesOf(centosOvsIntent, profile('ovs-bridge-cloudbr0')), hostLive(centosOvsIntent));
    expect(empty.refusal).toBeUndefined();
    expect(nmcli(empty)).toEqual(['nmcli connection reload', up('ovs-bridge-cloudbr0')]);
  });

  it("without the host's files every bridge is brought up: a host with VMs is refused, naming each occupied bridge", () => {
    const r = render(centosOvsIntent, undefined, hostLive(centosOvsIntent, [tap('vnet0', 'cloudbr0'), tap('vnet9', 'cloudbr1')]));
    expect(r.refusal).toMatch(/^NmOvsBridgeReactivationError: .*re-activate the NetworkManager OVS bridge cloudbr0 \(carrying vnet0\), cloudbr1 \(carrying vnet9\):/);
  });

  it('bridges ovs-vsctl made, VMs on them, no NetworkManager profile yet: the profiles\' first activation would take the bridges over: refused', () => {
    const r = render(centosOvsIntent, new Map(), hostLive(centosOvsIntent, [tap('vnet0', 'cloudbr0')]));
    expect(r.refusal).toMatch(/^NmOvsBridgeReactivationError: .*OVS bridge cloudbr0 \(carrying vnet0\):/);
    expect(render(centosOvsIntent, new Map(), hostLive(centosOvsIntent)).refusal).toBeUndefined();
  });

  it("a re-activated internal interface is deactivated first: an operator's second address on cloudbr0 would go, refused", () => {
    const live = hostLive(centosOvsIntent);
    const extra = { ...live, addresses: [...live.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    expect(render(centosOvsIntent, filesOf(centosOvsIntent, profile('ovs-interface-cloudbr0')), extra).refusal).toMatch(/^LostAddressingError: this run would take away address 192\.168\.100\.50\/24 on cloudbr0: .*\(NetworkManager: /);
  });
});
