import { expectedLiveState, relabelIntent, type RelabelLayoutRequest } from '@hostnet/intent';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import type { RenderedConfig, RenderTargetId } from '../domain/rendered-config';
import { renderHost } from '../render-host';
import type { PreviousFile } from './activation-steps';
import { stanzas } from './ifupdown-activation';
import { restoreActivation } from './restore-activation';
import { ACTIVATION_SNIPPETS } from './activation-snippets';
import { BRIDGE_SYSCTL_PATH } from '../renderers/debian-system-files';

const DIR = '/etc/sysconfig/network-scripts';
const config = (target: RenderTargetId, files: Record<string, string>, steps: RenderedConfig['steps'], removes: string[] = []): RenderedConfig => ({
  target,
  files: Object.entries(files).map(([path, content]) => ({ path, content, mode: 0o644 })),
  removes,
  steps,
});
const before = (files: Record<string, string | undefined>) =>
  new Map<string, PreviousFile>(Object.entries(files).map(([path, content]) => [path, content === undefined ? {} : { content }]));
const NETWORK_RESTART = { name: 'network-restart', argv: ['service', 'network', 'restart'], phase: 'activate' as const };
const words = (steps: RenderedConfig['steps']) => steps.map((s) => s.argv.join(' '));
const EXPAND = (layout: RelabelLayoutRequest['layout']): RelabelLayoutRequest => ({
  layout,
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
});

describe('restoreActivation: the restore re-activates only what the run changed', () => {
  it('network-scripts: ifdown/ifup only the changed old interface, never `service network restart`', () => {
    const rendered = config(
      'el-network-scripts-linux',
      { [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nBRIDGE=cloudbr0\n', [`${DIR}/ifcfg-eth1`]: 'DEVICE=eth1\nONBOOT=yes\n', [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\n' },
      [NETWORK_RESTART],
    );
    const steps = restoreActivation(rendered, before({ [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nIPADDR=10.0.0.5\n', [`${DIR}/ifcfg-eth1`]: 'DEVICE=eth1\nONBOOT=yes\n' }));
    // cloudbr0 is new: the restore script deletes it (the run owns it), and whatever it is, the
    // addresses the run gave it are flushed; eth1 is unchanged: untouched
    expect(steps.map((s) => s.name)).toEqual(['restore-ifdown-eth0', 'restore-flush-cloudbr0', 'restore-ifup-eth0']);
    expect(words(steps)).toContain('ifup eth0');
  });

  it("network-scripts, a failed run on a CentOS 7 OVS host: the agent's cloud0 (no ifcfg file, 169.254.0.1/16 up before the run) keeps its address; only an interface the run brought is flushed", () => {
    // the host as an operator made it: cloudbr0 in ifcfg OVS files, cloud0 with ovs-vsctl and ip addr add
    const old = before({
      [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nONBOOT=yes\nDEVICETYPE=ovs\nTYPE=OVSBridge\nBOOTPROTO=static\nIPADDR=10.255.0.13\nNETMASK=255.255.255.0\nGATEWAY=10.255.0.1\nHOTPLUG=no\n',
      [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nONBOOT=yes\nDEVICETYPE=ovs\nTYPE=OVSPort\nOVS_BRIDGE=cloudbr0\nBOOTPROTO=none\nHOTPLUG=no\n',
    });
    const rendered = renderHost(centosOvsIntent, 'el-network-scripts-ovs', { previousFiles: old });
    expect(rendered.files.map((f) => f.path)).toContain(`${DIR}/ifcfg-cloud0`);
    const cloud0 = { name: 'cloud0', kind: 'ovs-bridge' as const, up: true };
    const live = (address: string, prefix: number) => ({ links: [cloud0], addresses: [{ dev: 'cloud0', address, prefix }], routes: [{ to: '169.254.0.0/16', dev: 'cloud0' }] });
    expect(restoreActivation(rendered, old, live('169.254.0.1', 16)).map((s) => s.name)).not.toContain('restore-flush-cloud0');
    // what the host did not run as the file has it is the run's: flushed (another address; cloud0 down or absent; no live state)
    expect(restoreActivation(rendered, old, live('169.254.0.2', 16)).map((s) => s.name)).toContain('restore-flush-cloud0');
    expect(restoreActivation(rendered, old, { ...live('169.254.0.1', 16), links: [{ ...cloud0, up: false }] }).map((s) => s.name)).toContain('restore-flush-cloud0');
    expect(restoreActivation(rendered, old, { links: [], addresses: [], routes: [] }).map((s) => s.name)).toContain('restore-flush-cloud0');
    expect(restoreActivation(rendered, old).map((s) => s.name)).toContain('restore-flush-cloud0');
  });

  it('network-scripts: a bridge made by hand (no file) whose address and route the run wrote into files is not flushed by the restore; a route the host did not have is', () => {
    const rendered = config(
      'el-network-scripts-linux',
      { [`${DIR}/ifcfg-cloudbr1`]: 'DEVICE=cloudbr1\nTYPE=Bridge\nIPADDR=10.1.0.5\nPREFIX=24\n', [`${DIR}/route-cloudbr1`]: '10.50.0.0/16 via 10.1.0.254 dev cloudbr1\n' },
      [NETWORK_RESTART],
    );
    const handMade = (routes: { to: string; via?: string; dev: string }[]) => ({ links: [{ name: 'cloudbr1', kind: 'bridge' as const, up: true }], addresses: [{ dev: 'cloudbr1', address: '10.1.0.5', prefix: 24 }], routes });
    expect(restoreActivation(rendered, before({}), handMade([{ to: '10.50.0.0/16', via: '10.1.0.254', dev: 'cloudbr1' }]))).toEqual([]);
    expect(restoreActivation(rendered, before({}), handMade([])).map((s) => s.name)).toEqual(['restore-flush-cloudbr1']);
  });

  it('network-scripts: bridges come up before bonds, NICs and VLANs; ports go down, bridges never', () => {
    const old = {
      [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\n',
      [`${DIR}/ifcfg-bond0`]: 'DEVICE=bond0\nBONDING_OPTS="mode=1"\n',
      [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nMASTER=bond0\n',
      [`${DIR}/ifcfg-bond0.200`]: 'DEVICE=bond0.200\nVLAN=yes\n',
    };
    const changedAll = Object.fromEntries(Object.keys(old).map((p) => [p, 'changed\n']));
    const steps = restoreActivation(config('el-network-scripts-ovs', changedAll, [NETWORK_RESTART]), before(old));
    // the bridge's address differs from the run's file: flushed, then ifup (which only adds), first
    expect(steps.filter((s) => s.name.includes('-ifup-')).map((s) => s.name.replace('restore-ifup-', ''))).toEqual(['cloudbr0', 'bond0', 'eth0', 'bond0.200']);
    expect(steps.find((s) => s.name === 'restore-ifup-cloudbr0')!.argv.join(' ')).toContain('ip -4 addr flush dev "$1"');
    // the bridge is never taken down: that would delete it and unplug every VM tap on it
    expect(steps.filter((s) => s.name.includes('-ifdown-')).map((s) => s.argv[4])).toEqual(['bond0.200', 'eth0', 'bond0']);
  });

  it('network-scripts: a changed /etc/sysconfig/network brings back the interfaces that carry an address', () => {
    const rendered = config('el-network-scripts-linux', { '/etc/sysconfig/network': 'GATEWAY=10.0.0.1\n', [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nIPADDR=10.0.0.5\n' }, [NETWORK_RESTART]);
    const steps = restoreActivation(rendered, before({ '/etc/sysconfig/network': 'NETWORKING=yes\n', [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nIPADDR=10.0.0.5\n' }));
    expect(words(steps)).toEqual(['sh -c ifdown "$1" || true sh eth0', 'ifup eth0']);
  });

  it('classic ifupdown: only the stanzas that differ; what the run added is forgotten and its address flushed', () => {
    const oldFile = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n  address 10.0.0.5/24\n\nauto eth1\niface eth1 inet manual\n';
    const newFile = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n\nauto eth1\niface eth1 inet manual\n\nauto cloudbr0\niface cloudbr0 inet static\n  address 10.0.0.5/24\n';
    const rendered = config('debian-ifupdown-linux', { '/etc/network/interfaces': newFile }, [
      { name: 'sysctl-bridge', argv: ['sysctl', '-e', '-p', BRIDGE_SYSCTL_PATH], phase: 'activate' },
      { name: 'networking-restart', argv: ['service', 'networking', 'restart'], phase: 'activate' },
    ]);
    const stanzas = [
      'sh -c ifdown --force "$1" || true sh eth0',
      // cloudbr0 is not in the old file: ifdown only forgets it (the restore script deletes it when the run owns it)
      'sh -c ifdown --force "$1" || true; ip -4 addr flush dev "$1" 2>/dev/null || true sh cloudbr0',
      'sh -c ip -4 addr flush dev "$1" 2>/dev/null || true; exec ifup "$1" sh eth0',
    ];
    // the sysctl drop-in is re-loaded only when the host had one: a drop-in the run made is gone by then
    const sysctl = BRIDGE_SYSCTL_PATH;
    expect(words(restoreActivation(rendered, before({ '/etc/network/interfaces': oldFile, [sysctl]: 'net.bridge.bridge-nf-call-iptables = 1\n' })))).toEqual([...stanzas, `sysctl -e -p ${sysctl}`]);
    expect(words(restoreActivation(rendered, before({ '/etc/network/interfaces': oldFile })))).toEqual(stanzas);
  });

  it('classic ifupdown: a bridge made by hand (no stanza) that the run wrote a stanza for keeps the address and gateway it had before the run; one it did not have is flushed', () => {
    const oldFile = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n';
    const newFile = `${oldFile}\nauto cloudbr1\niface cloudbr1 inet static\n  address 10.1.0.5\n  netmask 255.255.255.0\n  gateway 10.1.0.1\n  bridge_ports eth2\n`;
    const rendered = config('debian-ifupdown-linux', { '/etc/network/interfaces': newFile }, [{ name: 'networking-restart', argv: ['service', 'networking', 'restart'], phase: 'activate' }]);
    const old = before({ '/etc/network/interfaces': oldFile });
    const live = (address: string) => ({ links: [{ name: 'cloudbr1', kind: 'bridge' as const, up: true }], addresses: [{ dev: 'cloudbr1', address, prefix: 24 }], routes: [{ to: 'default', via: '10.1.0.1', dev: 'cloudbr1' }] });
    // ifdown of a stanza the file in place lacks only forgets it: the bridge and its address stay
    expect(words(restoreActivation(rendered, old, live('10.1.0.5')))).toEqual(['sh -c ifdown --force "$1" || true sh cloudbr1']);
    const flushed = ['sh -c ifdown --force "$1" || true; ip -4 addr flush dev "$1" 2>/dev/null || true sh cloudbr1'];
    expect(words(restoreActivation(rendered, old, live('10.1.0.6')))).toEqual(flushed);
    expect(words(restoreActivation(rendered, old, { ...live('10.1.0.5'), routes: [] }))).toEqual(flushed);
    expect(words(restoreActivation(rendered, old))).toEqual(flushed);
  });

  it('classic ifupdown: a bridge whose stanza the run changed is re-applied in place, never taken down (its VM ports stay)', () => {
    const bridge = (search: string) => `allow-ovs cloudbr1\niface cloudbr1 inet manual\novs_type OVSBridge\novs_ports bond1\n# ${search}\nmtu ${search === 'old' ? 1500 : 9000}\n`;
    const rendered = config('debian-ifupdown-ovs', { '/etc/network/interfaces': bridge('new') }, [{ name: 'networking-restart', argv: ['service', 'networking', 'restart'], phase: 'activate' }]);
    const steps = restoreActivation(rendered, before({ '/etc/network/interfaces': bridge('old') }));
    expect(steps.map((s) => s.name)).toEqual(['restore-forget', 'restore-ifup-cloudbr1']);
    expect(words(steps)).toEqual(['sh -c for i; do ifdown --force -i /dev/null "$i" >/dev/null 2>&1; done; true sh cloudbr1', 'ifup cloudbr1']);
  });

  it('classic ifupdown: a stanza the old file sourced (interfaces.d) is brought back up like one of its own', () => {
    const newFile = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n';
    const rendered = config('debian-ifupdown-linux', { '/etc/network/interfaces': newFile }, [{ name: 'networking-restart', argv: ['service', 'networking', 'restart'], phase: 'activate' }]);
    const steps = restoreActivation(rendered, before({
      '/etc/network/interfaces': 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n',
      '/etc/network/interfaces.d/50-cloud-init': 'auto eth0\niface eth0 inet static\n  address 10.0.0.5/24\n',
    }));
    // without the sourced file eth0 would only be forgotten (taken down for good): it must come back up
    expect(steps.map((s) => s.name)).toContain('restore-ifup-eth0');
    expect(words(steps).join('\n')).not.toContain('networking restart');
  });

  it('ifupdown2 keeps ifreload -a, which already reloads only what differs', () => {
    const rendered = config('debian-ifupdown-linux', { '/etc/network/interfaces': 'new\n' }, [{ name: 'ifreload', argv: ['ifreload', '-a'], phase: 'activate' }]);
    expect(words(restoreActivation(rendered, before({ '/etc/network/interfaces': 'old\n' })))).toEqual(['ifreload -a']);
  });

  it('NetworkManager: reload, then bring up again only the profiles that existed and changed', () => {
    const nm = '/etc/NetworkManager/system-connections';
    const rendered = config('networkmanager-linux', { [`${nm}/cloudbr0.nmconnection`]: 'new\n', [`${nm}/cloudbr1.nmconnection`]: 'new\n' }, [
      { name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' },
      { name: 'nmcli-up-cloudbr0', argv: ['nmcli', 'connection', 'up', 'id', 'cloudbr0'], phase: 'activate' },
      { name: 'nmcli-up-cloudbr1', argv: ['nmcli', 'connection', 'up', 'id', 'cloudbr1'], phase: 'activate' },
    ]);
    expect(words(restoreActivation(rendered, before({ [`${nm}/cloudbr0.nmconnection`]: 'old\n' })))).toEqual(['nmcli connection reload', 'nmcli connection up id cloudbr0']);
  });

  it("NetworkManager: another owner's profile the run moved aside is brought up by the uuid its old content names", () => {
    const nm = '/etc/NetworkManager/system-connections';
    const removes = [`${nm}/Wired connection 1.nmconnection`, `${nm}/ens3.nmconnection`, `${nm}/Wired connection 2.nmconnection`];
    const rendered = config('networkmanager-linux', { [`${nm}/cloudbr0.nmconnection`]: 'new\n' }, [{ name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' }], removes);
    const old = before({
      [`${nm}/Wired connection 1.nmconnection`]: '[connection]\nid=Wired connection 1\nuuid=5E0C3A6B-1F0D-3C8E-9A59-1F3F1B5C2D11\ninterface-name=eth0\n',
      [`${nm}/ens3.nmconnection`]: '[connection]\nid=Wired connection 3\nuuid=0f5e0c3a-1f0d-3c8e-9a59-1f3f1b5c2d11\ninterface-name=eth1\n',
      [`${nm}/Wired connection 2.nmconnection`]: '[connection]\nid=Wired connection 2\nuuid=$(reboot)\n',
    });
    expect(words(restoreActivation(rendered, old))).toEqual([
      'nmcli connection reload',
      'nmcli connection up uuid 5e0c3a6b-1f0d-3c8e-9a59-1f3f1b5c2d11',
      'nmcli connection up uuid 0f5e0c3a-1f0d-3c8e-9a59-1f3f1b5c2d11',
    ]);
  });

  it("NetworkManager: an operator's bridge profile that does not take its ports along is brought up with the VM taps it had put back under it", () => {
    const nm = '/etc/NetworkManager/system-connections';
    const BRIDGE = '[connection]\nid=cloudbr0\nuuid=0B7B3C2E-8F3A-4F0E-9D1C-2A6E5F4B3C21\ntype=bridge\ninterface-name=cloudbr0\n\n[bridge]\nstp=false\n';
    const old = before({
      [`${nm}/cloudbr0.nmconnection`]: BRIDGE,
      [`${nm}/System eth0.nmconnection`]: '[connection]\nid=System eth0\nuuid=6f1d2c3b-4a5e-4b6c-8d7e-9f0a1b2c3d41\ntype=ethernet\ninterface-name=eth0\nmaster=cloudbr0\nslave-type=bridge\n',
      // NetworkManager's own profile of the tap it found: it configures nothing
      '/run/NetworkManager/system-connections/vnet0.nmconnection': '[connection]\nid=vnet0\nuuid=95a86e4b-a26d-4e10-ad44-74d4dcf29727\ntype=veth\ninterface-name=vnet0\n\n[.nmmeta]\nnm-generated=true\n',
    });
    const live = {
      links: [
        { name: 'cloudbr0', kind: 'bridge' as const, up: true },
        { name: 'eth0', kind: 'nic' as const, master: 'cloudbr0', up: true },
        { name: 'vnet1', kind: 'nic' as const, master: 'cloudbr0', up: true },
        { name: 'vnet0', kind: 'nic' as const, master: 'cloudbr0', up: true },
      ],
      addresses: [],
      routes: [],
    };
    const rendered = config('networkmanager-linux', { [`${nm}/cloudbr0.nmconnection`]: 'new\n' }, [{ name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' }], [`${nm}/System eth0.nmconnection`]);
    const steps = restoreActivation(rendered, old, live);
    expect(steps.map((s) => s.name)).toEqual(['nmcli-reload', 'restore-nmcli-up-0b7b3c2e-8f3a-4f0e-9d1c-2a6e5f4b3c21', 'restore-nmcli-up-6f1d2c3b-4a5e-4b6c-8d7e-9f0a1b2c3d41']);
    expect(steps[1]!.argv).toEqual(['sh', '-c', ACTIVATION_SNIPPETS.nmUpKeepingPorts, 'sh', 'cloudbr0', '0b7b3c2e-8f3a-4f0e-9d1c-2a6e5f4b3c21', 'vnet0', 'vnet1']);
    // one that takes its ports along (hostnet's own, autoconnect-slaves) needs nothing more
    const along = before({ ...Object.fromEntries([...old].map(([p, f]) => [p, f.content])), [`${nm}/cloudbr0.nmconnection`]: BRIDGE.replace('type=bridge\n', 'type=bridge\nautoconnect-slaves=1\n') });
    expect(words(restoreActivation(rendered, along, live))[1]).toBe('nmcli connection up uuid 0b7b3c2e-8f3a-4f0e-9d1c-2a6e5f4b3c21');
  });

  it('NetworkManager: a keyfile without the .nmconnection suffix the run moved aside (/etc/.../eth0) is brought up again by its uuid, or by its file name', () => {
    const nm = '/etc/NetworkManager/system-connections';
    const WIRED = '[connection]\nid=Wired connection 1\nuuid=5e0c3a6b-1f0d-3c8e-9a59-1f3f1b5c2d11\ntype=ethernet\ninterface-name=eth0\n\n[ipv4]\nmethod=auto\n';
    const old = before({ [`${nm}/eth0`]: WIRED });
    const rendered = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: old });
    expect(rendered.neutralised).toEqual([{ path: `${nm}/eth0`, interfaces: ['eth0'] }]);
    expect(words(restoreActivation(rendered, old))).toEqual(['nmcli connection reload', 'nmcli connection up uuid 5e0c3a6b-1f0d-3c8e-9a59-1f3f1b5c2d11']);
    const noUuid = before({ [`${nm}/eth0`]: WIRED.replace(/^id=.*\n|^uuid=.*\n/gm, '') });
    expect(words(restoreActivation(renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: noUuid }), noUuid))).toEqual(['nmcli connection reload', 'nmcli connection up id eth0']);
  });

  it("NetworkManager on EL with ifcfg-rh: an installer's ifcfg-eth0 the run moved aside is brought up again by the UUID its old content names", () => {
    const ifcfg = `${DIR}/ifcfg-eth0`;
    const old = new Map([[ifcfg, { content: 'TYPE=Ethernet\nBOOTPROTO=dhcp\nNAME="System eth0"\nUUID="5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03"\nDEVICE=eth0\nONBOOT=yes\n' }]]);
    const rendered = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: old });
    expect(rendered.neutralised).toEqual([{ path: ifcfg, interfaces: ['eth0'] }]);
    const steps = restoreActivation(rendered, old);
    expect(words(steps)).toEqual(['nmcli connection reload', 'nmcli connection up uuid 5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03']);
  });

  it("NetworkManager: a moved-aside profile whose device was down before the run (ONBOOT=no) is reloaded, not brought up", () => {
    const eno2 = `${DIR}/ifcfg-eno2`;
    const old = new Map([[eno2, { content: 'TYPE=Ethernet\nBOOTPROTO=dhcp\nNAME="System eno2"\nUUID="5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e04"\nDEVICE=eno2\nONBOOT=no\n' }]]);
    const rendered = config('networkmanager-linux', {}, [{ name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' }], [eno2]);
    const liveWith = (up: boolean) => ({ links: [{ name: 'eno2', kind: 'nic' as const, up }], addresses: [], routes: [] });
    expect(words(restoreActivation(rendered, old, liveWith(false)))).toEqual(['nmcli connection reload']);
    expect(words(restoreActivation(rendered, old, liveWith(true)))).toEqual(['nmcli connection reload', 'nmcli connection up uuid 5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e04']);
  });

  it('NetworkManager, ifcfg files without a UUID: by NAME when it is a word, else by the device (NetworkManager picks its profile); hostnet\'s keyfiles by their uuid', () => {
    const nm = '/etc/NetworkManager/system-connections';
    const removes = [`${DIR}/ifcfg-eth1`, `${DIR}/ifcfg-eth2`, `${DIR}/ifcfg-eth3`];
    const rendered = config('networkmanager-linux', { [`${nm}/cloudbr0.nmconnection`]: 'new\n' }, [{ name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' }], removes);
    const old = before({
      [`${nm}/cloudbr0.nmconnection`]: '[connection]\nid=cloudbr0\nuuid=6a0b1c2d-3e4f-5a6b-8c7d-9e0f1a2b3c4d\ninterface-name=cloudbr0\n',
      [`${DIR}/ifcfg-eth1`]: 'DEVICE=eth1\nNAME=uplink1\nONBOOT=yes\n',
      [`${DIR}/ifcfg-eth2`]: 'NAME="System eth2"\nONBOOT=yes\n',
      [`${DIR}/ifcfg-eth3`]: 'DEVICE="$(reboot)"\nUUID=not-a-uuid\n',
    });
    expect(words(restoreActivation(rendered, old))).toEqual([
      'nmcli connection reload',
      'nmcli connection up uuid 6a0b1c2d-3e4f-5a6b-8c7d-9e0f1a2b3c4d',
      'nmcli connection up id uplink1',
      'nmcli connection up ifname eth2',
    ]);
  });

  it('nothing changed: nothing to re-activate', () => {
    const rendered = config('el-network-scripts-linux', { [`${DIR}/ifcfg-eth0`]: 'same\n' }, [NETWORK_RESTART]);
    expect(restoreActivation(rendered, before({ [`${DIR}/ifcfg-eth0`]: 'same\n' }))).toEqual([]);
  });

  it('an old file too large to read falls back to the target activation, without the steps that set the new addresses', () => {
    const rendered = config('debian-ifupdown-ovs', { '/etc/network/interfaces': 'new\n' }, [
      { name: 'ifup-allow-ovs', argv: ['ifup', '--allow=ovs', 'cloudbr0'], phase: 'activate' },
      { name: 'addr-cloudbr0', argv: ['ip', 'addr', 'replace', '10.0.0.5/24', 'dev', 'cloudbr0'], phase: 'activate' },
      { name: 'ovs-add-br-cloudbr0', argv: ['ovs-vsctl', 'add-br', 'cloudbr0'], phase: 'live' },
    ]);
    expect(words(restoreActivation(rendered, before({ '/etc/network/interfaces': undefined })))).toEqual(['ifup --allow=ovs cloudbr0']);
  });

  it('netplan keeps netplan apply: it is the only activation netplan has', () => {
    const rendered = config('netplan-linux', { '/etc/netplan/50-hostnet.yaml': 'new\n' }, [{ name: 'netplan-apply', argv: ['netplan', 'apply'], phase: 'activate' }]);
    expect(words(restoreActivation(rendered, before({})))).toEqual(['netplan apply']);
  });

  it("netplan-ovs: before netplan apply the restore takes off the netplan tags the run's units put on rows that were there before it (its OVS cleanup would delete them, VM ports and all); a tag a row had stays", () => {
    const live = expectedLiveState(ubuntuOvsIntent);
    // cloudbr1 was netplan's before the run (an earlier netplan file named it); cloudbr0 was made with ovs-vsctl
    const bridge = (name: string) => (name === 'cloudbr0' ? { failMode: 'secure', mcastSnoopingEnable: true as const } : {});
    const tagged = {
      ...live,
      links: live.links.map((l) => (l.kind !== 'ovs-bridge' ? l : { ...l, ovsBridge: { datapathType: '', otherConfig: {}, ...bridge(l.name), ...(l.name === 'cloudbr1' ? { externalIds: { netplan: 'true', 'netplan/rstp_enable': 'false', 'bad key': 'x' } } : {}) } })),
    };
    const rendered = renderHost(ubuntuOvsIntent, 'netplan-ovs', { live: tagged, previousFiles: new Map() });
    const steps = restoreActivation(rendered, new Map(), tagged);
    // facts read each bridge's columns: netplan's unit of a bridge sets fail_mode, mcast_snooping_enable and rstp_enable
    expect(steps.map((s) => s.name)).toEqual(['restore-ovs-bridge-cloud0', 'restore-ovs-bridge-cloudbr0', 'restore-ovs-bridge-cloudbr1', 'netplan-apply-untagged']);
    expect(words(steps)[1]).toBe('ovs-vsctl --if-exists set bridge cloudbr0 mcast_snooping_enable=true rstp_enable=false fail_mode=secure');
    expect(words(steps)[2]).toBe('ovs-vsctl --if-exists set bridge cloudbr1 mcast_snooping_enable=false rstp_enable=false -- --if-exists clear bridge cloudbr1 fail_mode');
    const untag = steps.at(-1)!;
    expect(untag.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(untag.argv[2]).toMatch(/ exec netplan apply$/);
    expect(untag.argv.slice(4)).toEqual(['bond0:', 'bond1:', 'cloud0:', 'cloudbr0:', 'cloudbr1:netplan,netplan/rstp_enable', 'cloudbr100:']);
    // netplan-linux has no OVS rows: netplan apply alone
    expect(words(restoreActivation(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux'), new Map()))).toEqual(['netplan apply']);
  });

  it("netplan-linux, a relabel's expand rolled back: netplan apply alone, never the run's links and moves again (the undo takes those back)", () => {
    const old = relabelIntent(ubuntuLinuxBridgeIntent, EXPAND('old'));
    const held = new Map(renderHost(old, 'netplan-linux').files.map((f) => [f.path, { content: f.content }]));
    const rendered = renderHost(relabelIntent(ubuntuLinuxBridgeIntent, EXPAND('both')), 'netplan-linux', { live: expectedLiveState(old), previous: expectedLiveState(old), previousFiles: held });
    expect(words(rendered.steps)).toContain('ip link add name ethl-cloudbr9 type veth peer name lnk-cloudbr1');
    expect(words(restoreActivation(rendered, held))).toEqual(['netplan apply']);
  });

  it("netplan-linux, a relabel's contract rolled back: netplan apply makes the old bridge again, then the restored drop-in's pair is made (networkd runs it only when it starts)", () => {
    const both = relabelIntent(ubuntuLinuxBridgeIntent, EXPAND('both'));
    const held = new Map(renderHost(both, 'netplan-linux').files.map((f) => [f.path, { content: f.content }]));
    const rendered = renderHost(relabelIntent(ubuntuLinuxBridgeIntent, EXPAND('new')), 'netplan-linux', { live: expectedLiveState(both), previous: expectedLiveState(both), previousFiles: held });
    expect(rendered.steps.map((s) => s.name)).toContain('link-del-ethl-cloudbr9');
    const steps = restoreActivation(rendered, held);
    expect(steps.map((s) => s.name)).toEqual(['netplan-apply', 'remake-ethl-cloudbr9']);
    expect(steps[1]!.argv.slice(3)).toEqual(['/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf', 'ethl-cloudbr9', 'lnk-cloudbr1', 'cloudbr1', 'cloudbr9']);
  });

  it('stanzas: option lines belong to the iface above them; auto/allow lines end a stanza', () => {
    expect([...stanzas('auto eth0\niface eth0 inet static\n address 1.2.3.4/24\nallow-ovs br0\niface br0 inet manual\n ovs_type OVSBridge\n')]).toEqual([
      ['eth0', 'iface eth0 inet static\naddress 1.2.3.4/24\n'],
      ['br0', 'iface br0 inet manual\novs_type OVSBridge\n'],
    ]);
  });
});
