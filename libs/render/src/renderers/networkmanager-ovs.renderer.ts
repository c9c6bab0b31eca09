import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent } from '@hostnet/intent/domain/host-network-intent';
import { type FilePlan, type PlannedFile, renderPlan } from '../domain/file-plan';
import type { RenderedConfig } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { RenderError } from '../domain/render-errors';
import { bondsOf, directNicsOf, fakeBridges, realBridges } from '../format/intent-lookups';
import { nmBridgeIpSections, NM_NO_IP } from '../format/nm-ip-sections';
import { type KeyfileSection, keyfileText } from '../format/nm-keyfile';
import { stableUuid } from '../format/stable-uuid';
import { fakeBridgeHook, fakeBridgeSteps, NM_FAKE_BRIDGE_HOOK_PATH } from './nm-ovs-fake-bridges';
import { nmKeyfilePath, nmUpStep } from './networkmanager.renderer';

type OvsKind = 'ovs-bridge' | 'ovs-port' | 'ovs-interface';

/** OVS profile ids as nmcli names them by default (`ovs-port-bond0`); an ethernet profile is the NIC's name, as on networkmanager-linux. */
export const nmOvsId = (kind: OvsKind, name: string): string => `${kind}-${name}`;

/** `sections` is a function so the profile's file path is known without rendering it. */
interface Profile {
  id: string;
  sections: () => KeyfileSection[];
}

/**
 * `master` is the controller's uuid, not its name: an OVS bridge, its own port and its internal
 * interface share one interface name, so a name would not say which profile is meant.
 */
function connection(intent: HostNetworkIntent, id: string, type: string, ifname: string, controller?: { id: string; type: 'ovs-bridge' | 'ovs-port' }): KeyfileSection {
  return [
    'connection',
    [
      ['id', id],
      ['uuid', stableUuid(intent.hostId, id)],
      ['type', type],
      ['autoconnect-slaves', type === 'ovs-bridge' || type === 'ovs-port' ? 1 : undefined],
      ['interface-name', ifname],
      ['master', controller ? stableUuid(intent.hostId, controller.id) : undefined],
      ['slave-type', controller?.type],
    ],
  ];
}

const mtuSection = (mtu: number | undefined): KeyfileSection => ['ethernet', [['mtu', mtu]]];

/** A physical NIC as a port of its `ovs-port` (a bond's or its own); NetworkManager adds `[ovs-interface] type=system` itself. */
function ethernet(intent: HostNetworkIntent, nic: NicIntent, port: string | undefined, mtu: number | undefined): Profile {
  const controller = port ? { id: nmOvsId('ovs-port', port), type: 'ovs-port' as const } : undefined;
  const splinters: KeyfileSection = ['ovs-other-config', [['data.enable-vlan-splinters', intent.vlanSplinters && port ? 'true' : undefined]]];
  const ports: KeyfileSection[] = port ? [['ovs-interface', [['type', 'system']]], splinters] : NM_NO_IP;
  return { id: nic.name, sections: () => [connection(intent, nic.name, 'ethernet', nic.name, controller), ['ethernet', [['mac-address', nic.hwaddr], ['mtu', mtu]]], ...ports] };
}

/**
 * A bond is one `ovs-port` with several ethernet ports. OVS's miimon and LACP timer live in the
 * Port's other_config, which NetworkManager writes from `[ovs-other-config]` (1.42+; older versions
 * ignore the section and the bond detects links by carrier).
 */
function bondProfiles(intent: HostNetworkIntent, bond: BondIntent, bridge: string): Profile[] {
  const otherConfig: KeyfileSection = [
    'ovs-other-config',
    [
      ['data.bond-detect-mode', bond.miimon > 0 ? 'miimon' : undefined],
      ['data.bond-miimon-interval', bond.miimon > 0 ? bond.miimon : undefined],
      ['data.lacp-time', bond.lacpRate],
    ],
  ];
  const port: Profile = {
    id: nmOvsId('ovs-port', bond.name),
    sections: () => [connection(intent, nmOvsId('ovs-port', bond.name), 'ovs-port', bond.name, { id: nmOvsId('ovs-bridge', bridge), type: 'ovs-bridge' }), ['ovs-port', [['bond-mode', bond.mode], ['lacp', bond.lacp]]], otherConfig],
  };
  const members = bond.members.map((m) => {
    const nic = intent.nics.find((n) => n.name === m) ?? { name: m };
    return ethernet(intent, nic, bond.name, nic.mtu ?? bond.mtu);
  });
  return [port, ...members];
}

/** A bridge's own port and internal interface (what `ovs-vsctl add-br` makes): the device that carries its address. */
function ownPort(intent: HostNetworkIntent, bridge: BridgeIntent, parent: string, tag: number | undefined): Profile[] {
  const portId = nmOvsId('ovs-port', bridge.name);
  const ifaceId = nmOvsId('ovs-interface', bridge.name);
  return [
    { id: portId, sections: () => [connection(intent, portId, 'ovs-port', bridge.name, { id: nmOvsId('ovs-bridge', parent), type: 'ovs-bridge' }), ['ovs-port', [['tag', tag]]]] },
    {
      id: ifaceId,
      sections: () => [connection(intent, ifaceId, 'ovs-interface', bridge.name, { id: portId, type: 'ovs-port' }), mtuSection(bridge.mtu), ['ovs-interface', [['type', 'internal']]], ...nmBridgeIpSections(intent, bridge)],
    },
  ];
}

function bridgeProfiles(intent: HostNetworkIntent, bridge: BridgeIntent, options: RenderOptions): Profile[] {
  const id = nmOvsId('ovs-bridge', bridge.name);
  const own: Profile = { id, sections: () => [connection(intent, id, 'ovs-bridge', bridge.name), ['ovs-bridge', [['datapath-type', options.ovsDatapathType]]], ...NM_NO_IP] };
  const nics = directNicsOf(intent, bridge.name).flatMap((nic) => [
    { id: nmOvsId('ovs-port', nic.name), sections: () => [connection(intent, nmOvsId('ovs-port', nic.name), 'ovs-port', nic.name, { id, type: 'ovs-bridge' as const })] },
    ethernet(intent, nic, nic.name, nic.mtu),
  ]);
  return [own, ...ownPort(intent, bridge, bridge.name, undefined), ...bondsOf(intent, bridge.name).flatMap((b) => bondProfiles(intent, b, bridge.name)), ...nics];
}

function file(profile: Profile): PlannedFile {
  return { path: nmKeyfilePath(profile.id), content: () => keyfileText(profile.sections()), mode: 0o600 };
}

/** The keyfiles (and the fake-bridge hook) renderNetworkManagerOvs writes, their content rendered only on demand. */
export function networkManagerOvsFiles(intent: HostNetworkIntent, options: RenderOptions = {}): FilePlan {
  const fakes = fakeBridges(intent);
  const attached = new Set(intent.nics.filter((n) => n.bond !== undefined || n.bridge !== undefined).map((n) => n.name));
  const profiles = [
    ...realBridges(intent).flatMap((b) => bridgeProfiles(intent, b, options)),
    ...fakes.flatMap((f) => ownPort(intent, f, f.parent as string, f.vlanId)),
    ...intent.nics.filter((n) => !attached.has(n.name)).map((n) => ethernet(intent, n, undefined, n.mtu)),
  ];
  const ids = profiles.map((p) => p.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new RenderError(`interface names: two NetworkManager profiles would both be ${twice}; fix: rename the NIC or bridge whose name is ${twice}`);
  return {
    files: [...profiles.map(file), ...(fakes.length > 0 ? [fakeBridgeHook(fakes)] : [])],
    removes: fakes.length > 0 ? [] : [NM_FAKE_BRIDGE_HOOK_PATH],
  };
}

/**
 * NetworkManager keyfiles for Open vSwitch through NM's OVS plugin (EL 9, where network-scripts are
 * gone), the layout el-network-scripts-ovs builds: per bridge an `ovs-bridge`, its own `ovs-port` and
 * internal `ovs-interface` (the address), bonds as multi-interface `ovs-port`s, tagged bridges as
 * `ovs-port`s with `tag=` in their parent. NetworkManager creates the OVS rows itself, so there are
 * no ovs-vsctl live steps: reload, then bring each bridge up with its ports (autoconnect-slaves).
 */
export function renderNetworkManagerOvs(intent: HostNetworkIntent, options: RenderOptions = {}): RenderedConfig {
  const plan = networkManagerOvsFiles(intent, options);
  const up = realBridges(intent).map((b) => nmUpStep(b.name, stableUuid(intent.hostId, nmOvsId('ovs-bridge', b.name))));
  return {
    target: 'networkmanager-ovs',
    ...renderPlan(plan),
    undoSteps: [],
    steps: [{ name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' }, ...up, ...fakeBridgeSteps(fakeBridges(intent))],
  };
}
