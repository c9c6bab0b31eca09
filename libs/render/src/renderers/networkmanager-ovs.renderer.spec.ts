import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosOvsIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { renameBridge, withBond, withoutBond1 } from '../../test/support/intent-variants';
import { ovsLiveOf } from '../../test/support/ovs-live-of';
import { restoreActivation } from '../activation/restore-activation';
import { RenderError } from '../domain/render-errors';
import type { RenderOptions } from '../domain/render-options';
import { renderHost } from '../render-host';
import { stableUuid } from '../format/stable-uuid';

const NM = '/etc/NetworkManager/system-connections';
const render = (intent: HostNetworkIntent, options: RenderOptions = {}) => renderHost(intent, 'networkmanager-ovs', options);
const profile = (config: ReturnType<typeof renderHost>, id: string) => {
  const file = config.files.find((f) => f.path === `${NM}/${id}.nmconnection`);
  if (!file) throw new Error(`no profile ${id} among ${config.files.map((f) => f.path).join(', ')}`);
  return file.content;
};
const HOOK = '/etc/NetworkManager/dispatcher.d/30-hostnet-ovs-fake-bridges';

describe('networkmanager-ovs', () => {
  it('OVS bond settings NetworkManager has no key for go to the Port other_config; none without miimon or LACP rate', () => {
    const fast = render(withBond(centosOvsIntent, 'bond0', { mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast' }));
    expect(profile(fast, 'ovs-port-bond0')).toContain('[ovs-port]\nbond-mode=balance-tcp\nlacp=active\n\n[ovs-other-config]\ndata.bond-detect-mode=miimon\ndata.bond-miimon-interval=100\ndata.lacp-time=fast\n');
    const carrier = render(withBond(centosOvsIntent, 'bond1', { miimon: 0, lacp: undefined }));
    expect(profile(carrier, 'ovs-port-bond1')).toMatch(/\[ovs-port\]\nbond-mode=active-backup\n$/);
  });

  it('the userspace datapath is a setting of each real bridge only; MTU on the internal interface and on every port NIC', () => {
    const intent = {
      ...centosOvsIntent,
      nics: centosOvsIntent.nics.map((n) => (n.name === 'eth0' ? { ...n, mtu: 9000, hwaddr: '52:54:00:AA:BB:01' } : n)),
      bonds: centosOvsIntent.bonds.map((b) => (b.name === 'bond0' ? { ...b, mtu: 9000 } : b)),
      bridges: centosOvsIntent.bridges.map((b) => (b.name === 'cloudbr0' ? { ...b, mtu: 9000 } : b)),
    };
    const config = render(intent, { ovsDatapathType: 'netdev' });
    for (const br of ['cloudbr0', 'cloudbr1', 'cloud0']) expect(profile(config, `ovs-bridge-${br}`)).toContain('[ovs-bridge]\ndatapath-type=netdev\n');
    expect(config.files.filter((f) => f.content.includes('datapath-type'))).toHaveLength(3);
    expect(profile(config, 'eth0')).toContain('[ethernet]\nmac-address=52:54:00:AA:BB:01\nmtu=9000\n');
    expect(profile(config, 'eth1')).toContain('[ethernet]\nmtu=9000\n');
    expect(profile(config, 'eth2')).not.toContain('mtu=');
    expect(profile(config, 'ovs-interface-cloudbr0')).toContain('[ethernet]\nmtu=9000\n\n[ovs-interface]\ntype=internal\n');
  });

  it('a NIC that is a bridge uplink of its own gets its own ovs-port; the management interface carries DNS and routes', () => {
    const intent = { ...withoutBond1(centosOvsIntent), dns: { nameservers: ['10.0.0.53'], search: ['lab.example'] }, routes: [{ to: '10.1.0.0/16', via: '192.168.100.1', dev: 'cloudbr0' }] };
    const config = render(intent);
    const uuid = (id: string) => stableUuid(intent.hostId, id);
    expect(profile(config, 'ovs-port-eth3')).toContain(`interface-name=eth3\nmaster=${uuid('ovs-bridge-cloudbr1')}\nslave-type=ovs-bridge\n`);
    expect(profile(config, 'eth3')).toContain(`master=${uuid('ovs-port-eth3')}\nslave-type=ovs-port\n`);
    expect(profile(config, 'ovs-interface-cloudbr0')).toContain('address1=192.168.100.20/24,192.168.100.1\ndns=10.0.0.53;\ndns-search=lab.example;\nmethod=manual\nroute1=10.1.0.0/16,192.168.100.1\n');
    expect(profile(config, 'ovs-interface-cloudbr100')).not.toContain('dns');
  });

  it('a NIC outside any bridge is an ethernet profile without addresses (not DHCP)', () => {
    const config = render({ ...centosOvsIntent, nics: [...centosOvsIntent.nics, { name: 'eth9' }] });
    expect(profile(config, 'eth9')).toMatch(/\ntype=ethernet\ninterface-name=eth9\n\n\[ipv4\]\nmethod=disabled\n\n\[ipv6\]\nmethod=disabled\n$/);
  });

  it('tagged bridges: marked as fake bridges after activation and by the dispatcher on every up; without any the hook goes', () => {
    const config = render(centosOvsIntent);
    expect(config.steps.map((s) => s.name)).toEqual(['nmcli-reload', 'nmcli-up-cloudbr0', 'nmcli-up-cloudbr1', 'nmcli-up-cloud0', 'ovs-fake-bridge-cloudbr100']);
    expect(config.steps.at(-1)!.argv).toEqual(['ovs-vsctl', '--timeout=30', 'wait-until', 'port', 'cloudbr100', '--', 'set', 'port', 'cloudbr100', 'fake_bridge=true']);
    expect(config.files.find((f) => f.path === HOOK)).toMatchObject({ mode: 0o755 });
    const untagged = render({ ...centosOvsIntent, bridges: centosOvsIntent.bridges.filter((b) => b.parent === undefined) });
    expect(untagged.files.some((f) => f.path === HOOK)).toBe(false);
    expect(untagged.removes).toEqual([HOOK]);
    expect(untagged.steps.some((s) => s.argv[0] === 'ovs-vsctl')).toBe(false);
  });

  it('refuses a NIC whose name is another profile id, naming it', () => {
    const intent = { ...centosOvsIntent, nics: [...centosOvsIntent.nics, { name: 'ovs-port-bond0' }] };
    expect(() => render(intent)).toThrow(RenderError);
    expect(() => render(intent)).toThrow(/two NetworkManager profiles would both be ovs-port-bond0; fix: rename/);
  });

  it('with the live state: no ovs-vsctl beside NetworkManager, nothing to undo; a renamed bridge takes its three profiles along', () => {
    const configured = render(centosOvsIntent, { live: ovsLiveOf(centosOvsIntent), previous: expectedLiveState(centosOvsIntent) });
    expect(configured).toEqual({ ...render(centosOvsIntent), undoSteps: [] });
    const renamed = render(renameBridge(centosOvsIntent, 'cloudbr1', 'cloudbr9'), { live: ovsLiveOf(centosOvsIntent), previous: expectedLiveState(centosOvsIntent) });
    expect(renamed.steps.filter((s) => s.phase === 'live')).toEqual([]);
    expect(renamed.removes).toEqual(['ovs-bridge', 'ovs-port', 'ovs-interface'].map((kind) => `${NM}/${kind}-cloudbr1.nmconnection`));
  });

  it('restore brings back up the changed profiles that existed before, by their ovs-* ids', () => {
    const config = render(ubuntuOvsIntent);
    const previous = new Map([
      [`${NM}/ovs-interface-cloudbr0.nmconnection`, { content: '[connection]\nid=ovs-interface-cloudbr0\n' }],
      [`${NM}/eth0.nmconnection`, { content: '[connection]\nid=eth0\n' }],
    ]);
    expect(restoreActivation(config, previous).map((s) => s.argv.join(' '))).toEqual([
      'nmcli connection reload',
      'nmcli connection up id ovs-interface-cloudbr0',
      'nmcli connection up id eth0',
    ]);
  });

  it('moves aside an installer profile naming a managed NIC, as networkmanager-linux does', () => {
    const wired = '[connection]\nid=Wired connection 1\nuuid=5e0c3a6b-1f0d-3c8e-9a59-1f3f1b5c2d11\ntype=ethernet\ninterface-name=eth0\n\n[ipv4]\nmethod=auto\n';
    const config = render(centosOvsIntent, { previousFiles: new Map([[`${NM}/Wired-connection-1.nmconnection`, { content: wired }]]) });
    expect(config.neutralised).toEqual([{ path: `${NM}/Wired-connection-1.nmconnection`, interfaces: ['eth0'] }]);
  });
});
