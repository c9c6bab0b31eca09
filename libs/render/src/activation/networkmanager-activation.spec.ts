import { expectedLiveState, relabelIntent, type HostNetworkIntent, type LiveState, type RelabelLayoutRequest } from '@hostnet/intent';
import { centosLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import { stableUuid } from '../format/stable-uuid';
import { renderHost } from '../render-host';
import type { PreviousFiles } from './activation-steps';

const step = (layout: RelabelLayoutRequest['layout']): RelabelLayoutRequest => ({
  layout,
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
});
const old = relabelIntent(centosLinuxBridgeIntent, step('old'));
const both = relabelIntent(centosLinuxBridgeIntent, step('both'));

/** The files a host holds after a run of `intent` on networkmanager-linux. */
const filesOf = (intent: HostNetworkIntent): PreviousFiles => new Map(renderHost(intent, 'networkmanager-linux').files.map((f) => [f.path, { content: f.content }]));
const activation = (intent: HostNetworkIntent, previous: PreviousFiles, live?: LiveState) =>
  renderHost(intent, 'networkmanager-linux', { previousFiles: previous, ...(live ? { live, previous: live } : {}) })
    .steps.filter((s) => s.argv[0] === 'nmcli')
    .map((s) => s.argv.join(' '));
/** `nmcli connection up` of hostnet's profile of `name`, by the uuid it wrote. */
const up = (name: string) => `nmcli connection up uuid ${stableUuid(centosLinuxBridgeIntent.hostId, name)}`;
const KEYFILE = (name: string) => `/etc/NetworkManager/system-connections/${name}.nmconnection`;

describe('networkmanager-linux activation limited to what changes', () => {
  it('a blank host: every bridge is brought up, and its ports with it (autoconnect-slaves), as the full activation does', () => {
    expect(activation(old, new Map())).toEqual(renderHost(old, 'networkmanager-linux').steps.map((s) => s.argv.join(' ')));
    expect(activation(old, new Map())).toEqual([
      'nmcli connection reload',
      up('cloudbr0'),
      up('cloudbr1'),
      up('cloudbr100'),
    ]);
  });

  it("a relabel's expand: the new bridge, the veth end in the old bridge, then the one in the new bridge (after its peer), the uplink still active under the old bridge; the old bridge, carrying VMs, is not re-activated", () => {
    const live = expectedLiveState(old);
    // the transition's ip steps ahead of these have made the links and moved bond1
    expect(activation(both, filesOf(old), live)).toEqual(['nmcli connection reload', up('cloudbr9'), up('ethl-cloudbr9'), up('lnk-cloudbr1'), up('bond1')]);
  });

  it("a relabel's contract: the retired profiles' devices are deleted by the transition, nothing that stays is re-activated", () => {
    const contracted = relabelIntent(centosLinuxBridgeIntent, step('new'));
    expect(activation(contracted, filesOf(both), expectedLiveState(both))).toEqual(['nmcli connection reload']);
  });

  it('the same files and the same running network: a reload only', () => {
    expect(activation(old, filesOf(old), expectedLiveState(old))).toEqual(['nmcli connection reload']);
  });

  it('one port profile changed: that port alone, not its bridge', () => {
    const mtu: HostNetworkIntent = { ...old, vlans: old.vlans.map((v) => ({ ...v, mtu: 9000 })) };
    expect(activation(mtu, filesOf(old), expectedLiveState(old))).toEqual(['nmcli connection reload', up('bond0.100')]);
  });

  it('unchanged files but a bridge down or a port out of its bridge: those are brought up again', () => {
    const live = expectedLiveState(old);
    const drifted: LiveState = {
      ...live,
      links: live.links.map((l) => (l.name === 'cloudbr100' ? { ...l, up: false } : l.name === 'eth3' ? { ...l, master: undefined } : l)),
    };
    expect(activation(old, filesOf(old), drifted)).toEqual(['nmcli connection reload', up('cloudbr100'), up('eth3')]);
    const noAddress: LiveState = { ...live, addresses: live.addresses.filter((a) => a.dev !== 'cloudbr0') };
    expect(activation(old, filesOf(old), noAddress)).toEqual(['nmcli connection reload', up('cloudbr0')]);
  });

  it("a foreign profile moved aside: the interface it configured is brought up under hostnet's profile", () => {
    const previous = new Map(filesOf(old));
    previous.set('/etc/NetworkManager/system-connections/Wired connection 3.nmconnection', { content: '[connection]\nid=Wired connection 3\ntype=ethernet\ninterface-name=eth2\n' });
    expect(activation(old, previous, expectedLiveState(old))).toEqual(['nmcli connection reload', up('eth2')]);
  });

  it("a changed profile whose old content is unknown: every bridge, as before", () => {
    const previous = new Map(filesOf(old));
    previous.set(KEYFILE('eth2'), {});
    expect(activation(old, previous, expectedLiveState(old))).toEqual(renderHost(old, 'networkmanager-linux').steps.map((s) => s.argv.join(' ')));
  });
});

describe('networkmanager-linux activation: a host route as iproute2 prints it is not drift', () => {
  it('a configured host with a /32 route (read back without its /32) re-activates nothing', () => {
    const routed: HostNetworkIntent = { ...old, routes: [{ to: '10.1.1.5/32', via: '192.168.100.1', dev: 'cloudbr0' }] };
    const expected = expectedLiveState(routed);
    const live: LiveState = { ...expected, routes: expected.routes.map((r) => (r.to === '10.1.1.5/32' ? { ...r, to: '10.1.1.5' } : r)) };
    expect(activation(routed, filesOf(routed), live)).toEqual(['nmcli connection reload']);
  });
});
