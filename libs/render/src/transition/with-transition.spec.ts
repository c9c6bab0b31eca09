import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { bondToNic, renameBridge, withBonds, withoutBond1 } from '../../test/support/intent-variants';
import { ovsLiveOf } from '../../test/support/ovs-live-of';
import type { PreviousFile } from '../activation/activation-steps';
import { RENDER_TARGETS, renderHost } from '../render-host';

const names = (steps: { name: string }[]) => steps.map((s) => s.name);

describe('renderHost with the live state', () => {
  it('without a live state: undoSteps is empty and the rest is the from-scratch rendering (the goldens)', () => {
    for (const target of RENDER_TARGETS) {
      const intent = target.endsWith('-ovs') ? ubuntuOvsIntent : ubuntuLinuxBridgeIntent;
      expect(renderHost(intent, target).undoSteps).toEqual([]);
    }
  });

  it('a configured host: OVS targets keep only their activation, linux targets add nothing; nothing to undo', () => {
    const ovs = renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live: ovsLiveOf(centosOvsIntent), previous: expectedLiveState(centosOvsIntent), ovsDatapathType: 'netdev' });
    expect(names(ovs.steps)).toEqual(['ifup-ovs-splinters-hook', 'network-restart']);
    expect(ovs.undoSteps).toEqual([]);
    for (const target of ['el-network-scripts-linux', 'debian-ifupdown-linux', 'netplan-linux', 'networkmanager-linux'] as const) {
      const live = expectedLiveState(ubuntuLinuxBridgeIntent);
      const config = renderHost(ubuntuLinuxBridgeIntent, target, { live, previous: live });
      expect(config).toEqual({ ...renderHost(ubuntuLinuxBridgeIntent, target), undoSteps: [] });
    }
  });

  it.each([
    ['Open vSwitch bridges made Linux ones', centosLinuxBridgeIntent, 'el-network-scripts-linux', ovsLiveOf(centosOvsIntent), 'cloudbr0, cloudbr1, cloudbr100 are Open vSwitch bridges on the host and the intent makes them Linux'],
    ['Linux bridges made Open vSwitch ones', centosOvsIntent, 'el-network-scripts-ovs', expectedLiveState(centosLinuxBridgeIntent), 'cloudbr0, cloudbr1, cloudbr100 are Linux bridges on the host and the intent makes them Open vSwitch'],
  ] as const)('refuses a live host whose %s, naming them and the fix, before any step', (_what, intent, target, live, said) => {
    const refused = renderHost(intent, target, { live, previous: live, ovsDatapathType: 'netdev' });
    expect([refused.steps, refused.undoSteps, refused.files]).toEqual([[], [], renderHost(intent, target, { ovsDatapathType: 'netdev' }).files]);
    expect(refused.refusal).toBe(
      `BackendSwitchError: ${said}: hostnet does not switch a live bridge's backend (every VM port on it would be cut), nothing was changed; fix: check which profile the host takes (its selectors and hosts: entry; hostnet lint --zone names problems), or move the host's VMs away and delete the bridges before the run`,
    );
  });

  it('refuses an intent naming a NIC the host does not have, before any step; a NIC pinned by MAC is left to activation', () => {
    const live = expectedLiveState(ubuntuLinuxBridgeIntent);
    const typo = withBonds(ubuntuLinuxBridgeIntent, ['eth0', 'eth1'], ['eth2', 'eth9']);
    expect(renderHost(typo, 'netplan-linux', { live, previous: live }).refusal).toBe(
      "MissingNicError: nics: eth9 (for bond1) is not an interface of the host (its NICs: eth0, eth1, eth2, eth3), so activation could not use it; nothing was changed; fix: correct the NIC names in the host's profile (a dry-run or hostnet plan --zone Z reads the host's NICs; lint has no host to read), or pin the NIC by its MAC (hwaddrs in the host's hosts: entry)",
    );
    const pinned = { ...typo, nics: typo.nics.map((n) => (n.name === 'eth9' ? { ...n, hwaddr: '52:54:00:00:00:09' } : n)) };
    // (netplan-linux refuses a pinned bond member: netplan.renderer.spec.ts)
    expect(renderHost(pinned, 'networkmanager-linux', { live, previous: live }).refusal).toBeUndefined();
    // a blank host whose facts read no interface: left to activation, as before
    expect(renderHost(typo, 'netplan-linux', { live: { links: [], addresses: [], routes: [] } }).refusal).toBeUndefined();
  });

  it("a Linux cloud0 on an Open vSwitch host is the agent's (the bridge module loaded, as the reference says): no refusal, and the run neither writes, makes nor touches it", () => {
    const live = ovsLiveOf(centosOvsIntent);
    const agents = { ...live, links: [...live.links.filter((l) => l.name !== 'cloud0'), { name: 'cloud0', kind: 'bridge' as const, up: true }] };
    const config = renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live: agents, previous: agents, ovsDatapathType: 'netdev' });
    expect(config.refusal).toBeUndefined();
    expect(config.files.map((f) => f.path)).not.toContain('/etc/sysconfig/network-scripts/ifcfg-cloud0');
    expect(JSON.stringify([config.steps, config.undoSteps])).not.toContain('cloud0');
    // an Open vSwitch cloud0 is rendered as before
    expect(renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live, previous: live, ovsDatapathType: 'netdev' }).files.map((f) => f.path)).toContain('/etc/sysconfig/network-scripts/ifcfg-cloud0');
    // with the profile's own bridges Linux too, the refusal names those, never the agent's cloud0
    const linux = expectedLiveState(centosLinuxBridgeIntent);
    const both = { ...linux, links: [...linux.links, { name: 'cloud0', kind: 'bridge' as const, up: true }] };
    const refusal = renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live: both, previous: both, ovsDatapathType: 'netdev' }).refusal!;
    expect(refusal).toMatch(/^BackendSwitchError: cloudbr0, cloudbr1, cloudbr100 are Linux bridges on the host/);
    expect(refusal).not.toContain('cloud0,');
  });

  it.each(['debian-ifupdown-ovs', 'netplan-ovs', 'networkmanager-ovs'] as const)("%s: the agent's Linux cloud0 is left out of every file and step", (target) => {
    const live = ovsLiveOf(ubuntuOvsIntent);
    const agents = { ...live, links: [...live.links.filter((l) => l.name !== 'cloud0'), { name: 'cloud0', kind: 'bridge' as const, up: true }] };
    const config = renderHost(ubuntuOvsIntent, target, { live: agents, previous: agents });
    expect(config.refusal).toBeUndefined();
    expect(JSON.stringify([config.files, config.steps, config.undoSteps])).not.toContain('cloud0');
  });

  it("an Open vSwitch cloud0 under a Linux profile: the fix leaves it be and infers nothing about agent.properties", () => {
    const live = expectedLiveState(centosLinuxBridgeIntent);
    const agents = { ...live, links: [...live.links.filter((l) => !l.name.startsWith('cloudbr')), { name: 'cloud0', kind: 'ovs-bridge' as const, up: true }] };
    const linuxWithCloud0 = { ...centosLinuxBridgeIntent, bridges: [...centosLinuxBridgeIntent.bridges, centosOvsIntent.bridges.find((b) => b.role === 'link-local')!] };
    const refusal = renderHost(linuxWithCloud0, 'el-network-scripts-linux', { live: agents, previous: agents }).refusal!;
    expect(refusal).toMatch(/^BackendSwitchError: cloud0 is an Open vSwitch bridge on the host and the intent makes it Linux: .*nothing was changed; fix: leave cloud0 as it is \(it is the CloudStack agent's link-local bridge, its system VMs reach the host over it\): the agent makes cloud0 in Open vSwitch when its agent.properties network.bridge.type is openvswitch/);
    expect(refusal).not.toMatch(/here\)|delete the bridges|check which profile/);
  });

  it('a blank host (no bridge of the intent live yet) is not a switch, whatever else it runs', () => {
    const live = { ...expectedLiveState(centosLinuxBridgeIntent), links: expectedLiveState(centosLinuxBridgeIntent).links.filter((l) => l.kind !== 'bridge') };
    expect(renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live, previous: live, ovsDatapathType: 'netdev' }).refusal).toBeUndefined();
  });

  it('EL OVS, bond1 dropped and cloudbr1 renamed: planned live steps, then activation; the retired ifcfg files go', () => {
    const intent = renameBridge(withoutBond1(centosOvsIntent), 'cloudbr1', 'cloudbr9');
    const config = renderHost(intent, 'el-network-scripts-ovs', { live: ovsLiveOf(centosOvsIntent), previous: expectedLiveState(centosOvsIntent), ovsDatapathType: 'netdev' });
    // bond0 is rebuilt with eth2, so every NIC has a fresh Interface row and gets its splinters setting again.
    const splinters = ['eth0', 'eth1', 'eth2', 'eth3'].map((n) => `ovs-vlan-splinters-${n}`);
    expect(names(config.steps)).toEqual(['ovs-add-br-cloudbr9', 'ovs-transition-ports', ...splinters, 'ovs-del-br-cloudbr1', 'ifup-ovs-splinters-hook', 'network-restart']);
    expect(config.removes).toEqual(['/etc/sysconfig/network-scripts/ifcfg-cloudbr1', '/etc/sysconfig/network-scripts/ifcfg-bond1']);
    expect(names(config.undoSteps ?? [])).toEqual(['ovs-undo-transition']);
  });

  it('classic ifupdown OVS: the old bonds go before activation, the hook re-creates them (ifupdown2: the steps do)', () => {
    const swapped = withBonds(ubuntuOvsIntent, ['eth0', 'eth2'], ['eth1', 'eth3']);
    const options = { live: ovsLiveOf(ubuntuOvsIntent), previous: expectedLiveState(ubuntuOvsIntent) };
    const classic = renderHost(swapped, 'debian-ifupdown-ovs', options);
    expect(classic.steps[0].argv).toEqual(['ovs-vsctl', '--if-exists', 'del-port', 'bond0', '--', '--if-exists', 'del-port', 'bond1']);
    expect(classic.steps.slice(1).every((s) => s.phase === 'activate')).toBe(true);
    expect(classic.undoSteps?.[0].argv.slice(0, 8)).toEqual(['ovs-vsctl', '--if-exists', 'del-port', 'bond0', '--', '--if-exists', 'del-port', 'bond1']);
    expect(renderHost(swapped, 'debian-ifupdown-ovs', { ...options, ifupdown2: true }).steps[0].argv.join(' ')).toContain('add-bond cloudbr0 bond0 eth0 eth2');
  });

  it('linux targets, cloudbr1 renamed: releases and deletions before activation; ifcfg and NM files of the old bridge go', () => {
    const live = expectedLiveState(centosLinuxBridgeIntent);
    const renamed = renameBridge(centosLinuxBridgeIntent, 'cloudbr1', 'cloudbr9');
    const el = renderHost(renamed, 'el-network-scripts-linux', { live, previous: live });
    expect(names(el.steps)).toEqual(['release-bond1', 'link-del-cloudbr1', 'network-restart']);
    expect(el.removes).toEqual(['/etc/sysconfig/network-scripts/ifcfg-cloudbr1']);
    const nm = renderHost(renamed, 'networkmanager-linux', { live, previous: live });
    expect(names(nm.steps).slice(0, 3)).toEqual(['release-bond1', 'link-del-cloudbr1', 'nmcli-reload']);
    expect(nm.removes).toEqual(['/etc/NetworkManager/system-connections/cloudbr1.nmconnection']);
    for (const target of ['debian-ifupdown-linux', 'netplan-linux'] as const) {
      const config = renderHost({ ...renamed, dns: ubuntuLinuxBridgeIntent.dns }, target, { live, previous: live });
      expect(names(config.steps).slice(0, 2)).toEqual(['release-bond1', 'link-del-cloudbr1']);
      expect(config.removes).toEqual(target === 'netplan-linux' ? ['/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf'] : []);
      expect(names(config.undoSteps ?? [])).toEqual(['release-bond1']);
    }
  });

  it("a bond that becomes one NIC: the dropped NIC leaves the bond, the bond goes, and hostnet's own files of both go (never taken for another owner's)", () => {
    const live = expectedLiveState(centosLinuxBridgeIntent);
    const single = bondToNic(centosLinuxBridgeIntent, 'bond1');
    for (const target of ['networkmanager-linux', 'el-network-scripts-linux'] as const) {
      // the files hostnet's last run wrote, as facts read them back
      const previousFiles = new Map<string, PreviousFile>(renderHost(centosLinuxBridgeIntent, target).files.map((f) => [f.path, { content: f.content }]));
      const config = renderHost(single, target, { live, previous: live, previousFiles });
      expect(config.refusal).toBeUndefined();
      expect(names(config.steps).slice(0, 3)).toEqual(['move-eth2', 'release-eth3', 'link-del-bond1']);
      expect(names(config.undoSteps ?? [])).toEqual(['move-back-eth2', 'release-eth3']);
      const file = target === 'networkmanager-linux' ? (n: string) => `/etc/NetworkManager/system-connections/${n}.nmconnection` : (n: string) => `/etc/sysconfig/network-scripts/ifcfg-${n}`;
      expect([...config.removes].sort()).toEqual([file('bond1'), file('eth3')].sort());
      expect(config.neutralised).toBeUndefined();
    }
    // without hostnet's record of its last run, eth3 is nobody's to release and its file nobody's to remove
    expect(names(renderHost(single, 'el-network-scripts-linux', { live }).steps)).not.toContain('release-eth3');
    // nor once someone has moved it into a bond of their own: it and its file are theirs now
    const moved = { ...live, links: [...live.links.map((l) => (l.name === 'eth3' ? { ...l, master: 'bond9' } : l)), { name: 'bond9', kind: 'bond' as const, members: ['eth3'] }] };
    const theirs = renderHost(single, 'el-network-scripts-linux', { live: moved, previous: live });
    expect(names(theirs.steps)).not.toContain('release-eth3');
    expect(theirs.removes).not.toContain('/etc/sysconfig/network-scripts/ifcfg-eth3');
  });

  it('a refusal from the live state is the answer even where the files would be refused too', () => {
    const live = expectedLiveState(centosLinuxBridgeIntent);
    const missing = withBonds(centosLinuxBridgeIntent, ['eth0', 'eth1'], ['eth2', 'eth7']);
    const foreign = new Map<string, PreviousFile>([['/etc/NetworkManager/system-connections/mixed.nmconnection', { content: '[connection]\nid=mixed\ninterface-name=eth7\nmaster=bond9\n' }]]);
    const config = renderHost(missing, 'networkmanager-linux', { live: { ...live, links: live.links.map((l) => ({ ...l, up: true })) }, previous: live, previousFiles: foreign });
    expect(config.refusal).toMatch(/^MissingNicError: /);
    expect(config.steps).toEqual([]);
  });
});
