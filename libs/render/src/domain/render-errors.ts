import { HostnetError } from '@hostnet/contracts';

/** Errors raised by target selection and rendering; each names the field or fact and the fix. */

/** Every render failure is permanent: the same intent and host facts render the same way next time. */
export class RenderError extends HostnetError {
  readonly permanent = true;
}

/** A value in the intent fails the renderer's own checks (defence in depth behind the intent rules). */
export class InvalidIntentValueError extends RenderError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`intent field ${field}: ${reason}`);
  }
}

/** The host's os-release names an OS (or version) hostnet has no renderer for. */
export class UnsupportedHostOsError extends RenderError {
  constructor(
    readonly osRelease: { id: string; idLike: string[]; versionId: string },
    reason: string,
    readonly supported: readonly string[],
  ) {
    super(
      `unsupported host OS (ID=${JSON.stringify(osRelease.id)} ID_LIKE=${JSON.stringify(osRelease.idLike.join(' '))} ` +
        `VERSION_ID=${JSON.stringify(osRelease.versionId)}): ${reason}; supported: ${supported.join('; ')}`,
    );
  }
}

/** The backend asks for something the host cannot do (e.g. OVS without openvswitch installed). */
export class UnsupportedBackendError extends RenderError {}

/**
 * A run the host's live state forbids (a guard's refusal): it must not change the host, but a dry-run of it
 * still shows the diff. renderHost returns it as the config's `refusal` rather than throwing it.
 */
export class LiveStateRefusal extends RenderError {}

/** The intent gives a live bridge the other backend: hostnet does not switch a bridge's backend in place. */
export class BackendSwitchError extends LiveStateRefusal {
  constructor(
    readonly bridges: readonly string[],
    readonly backend: 'linux' | 'ovs',
    /** The agent's link-local bridge among them (cloud0): not the profile's to delete or move. */
    agentBridge?: string,
  ) {
    const [now, wanted] = backend === 'ovs' ? ['Linux', 'Open vSwitch'] : ['Open vSwitch', 'Linux'];
    const one = bridges.length === 1;
    const others = bridges.filter((b) => b !== agentBridge);
    const profileFix = others.length === 0 ? [] : [
      `check which profile the host takes (its selectors and hosts: entry; hostnet lint --zone names problems), or move the host's VMs away and delete ${agentBridge ? others.join(', ') : 'the bridges'} before the run`,
    ];
    super(
      `${bridges.join(', ')} ${one ? (now === 'Linux' ? 'is a' : 'is an') : 'are'} ${now} bridge${one ? '' : 's'} on the host and the intent makes ${one ? 'it' : 'them'} ${wanted}: ` +
        `hostnet does not switch a live bridge's backend (every VM port on it would be cut), nothing was changed; fix: ${[...profileFix, ...(agentBridge ? [agentBridgeFix(agentBridge)] : [])].join('; ')}`,
    );
  }
}

/**
 * The agent makes its link-local bridge itself, in Open vSwitch when network.bridge.type is openvswitch: not the
 * profile's to delete (what agent.properties says is not read here). Its Linux cloud0 on an OVS host is kept
 * (withoutAgentLinuxCloud0), so only a Linux profile meets it switched.
 */
function agentBridgeFix(name: string): string {
  return `leave ${name} as it is (it is the CloudStack agent's link-local bridge, its system VMs reach the host over it): the agent makes ${name} in Open vSwitch when its agent.properties network.bridge.type is openvswitch, which the profile's backend must agree with`;
}

/** A run would take away what connects a live bridge that VM taps (or the agent's ports) are still on. */
export class VmPathCutError extends LiveStateRefusal {
  constructor(
    readonly bridge: string,
    readonly occupants: readonly string[],
    readonly lost: readonly string[],
    /** Why a lost link goes when the run does not move or delete it itself (its parent becomes a bond member). */
    readonly why: readonly string[] = [],
  ) {
    super(
      `live bridge ${bridge} still carries ${occupants.join(', ')} (VM taps or the CloudStack agent's ports) and this run would take away ${lost.join(', ')}, ` +
        `its only way to the network${why.length > 0 ? ` (${why.join('; ')}: a VLAN interface on a bond member no longer gets that VLAN's traffic, which the switch sends down the bond)` : ''}: those VMs would be cut off, nothing was changed; fix: migrate or stop the VMs on ${bridge} (put the host in Maintenance), then run the host again`,
    );
  }
}

/**
 * An OVS run on a host whose Open vSwitch is installed but not running: its first step would fail (ovs-vsctl:
 * database connection failed), and hostnet does not start a system service behind the operator's back (one not
 * enabled would leave the host's bridges down at its next boot).
 */
export class OvsDatabaseDownError extends LiveStateRefusal {
  constructor(readonly unit: string) {
    super(
      `Open vSwitch is installed but its database does not answer (ovs-vsctl could not reach ovsdb-server), so this Open vSwitch run could not make its bridges, nothing was changed; ` +
        `fix: start it (systemctl enable --now ${unit}, so it also starts at boot) and run the host again`,
    );
  }
}

/** A device agent.properties names (a `*.network.device` key) that a run would delete. */
export interface RetiredAgentDevice {
  key: string;
  device: string;
}

/**
 * A run would delete a device the CloudStack agent's agent.properties names: the agent maps those once at its
 * start and does not start without them ("Failed to get private nic name" / "public"), whatever CloudStack's
 * labels say now, so the host would pass verification and CheckNetwork and lose its agent at the next restart.
 */
export class AgentDeviceRetiredError extends LiveStateRefusal {
  constructor(
    readonly path: string,
    readonly devices: readonly RetiredAgentDevice[],
  ) {
    const keys = new Map<string, string[]>();
    for (const d of devices) keys.set(d.device, [...(keys.get(d.device) ?? []), d.key]);
    const one = keys.size === 1;
    super(
      `${path} names ${[...keys].map(([device, of]) => `${device} (${of.join(', ')})`).join(', ')}, and this run would delete ${one ? 'it' : 'them'} (hostnet made ${one ? 'it' : 'them'}, and the zone's traffic labels no longer name ${one ? 'it' : 'them'}): ` +
        `the cloudstack-agent reads those keys at its start and would not start again ("Failed to get private nic name" / "public"), nothing was changed; ` +
        `fix: move the labels with the agent by \`hostnet relabel\` (it rewrites agent.properties in the same run), or edit ${path} so ${devices.map((d) => d.key).join(', ')} name${devices.length === 1 ? 's' : ''} the zone's current label bridges ` +
        `(and restart cloudstack-agent), then run the host again`,
    );
  }
}

/** A device an activation step takes down, and the devices of other owners stacked on it that go with it. */
export interface StackedOnLink {
  link: string;
  stacked: readonly string[];
  /** The bridges those stacked devices are ports of (the agent's, carrying VM taps). */
  bridges: readonly string[];
}

/**
 * An activation would ifdown a bond or NIC that VLAN interfaces hostnet did not make sit on (the agent's
 * bond1.200 under brbond1-200): ifenslave's and network-scripts' ifdown delete the bond and the kernel its
 * VLANs, and nothing brings them back until a VM on that VLAN starts again.
 */
/** Why taking a link down costs the VLAN interfaces on it: ifdown's, unless the activation says otherwise (netplan's). */
export const IFDOWN_STACKED_CAUSE = "ifdown deletes a bond and with it the VLAN interfaces on it (a NIC's lose their link meanwhile)";

export class StackedDevicesError extends LiveStateRefusal {
  constructor(
    readonly links: readonly StackedOnLink[],
    cause: string = IFDOWN_STACKED_CAUSE,
  ) {
    const what = links.map((l) => `${l.link} (under ${l.stacked.join(', ')}${l.bridges.length > 0 ? `, ports of ${l.bridges.join(', ')}` : ''})`);
    const bridges = [...new Set(links.flatMap((l) => l.bridges))];
    super(
      `this run's activation would take down ${what.join(', ')}: ${cause}, which hostnet did not make ` +
        `(the CloudStack agent makes them for guest VLANs) and does not bring back, so ${bridges.length > 0 ? `${bridges.join(', ')} and ` : ''}the VMs on them would lose their network; nothing was changed; ` +
        `fix: migrate or stop the VMs on those VLANs (put the host in Maintenance, which also lets the agent remove its VLAN interfaces), then run the host again`,
    );
  }
}

/**
 * An activation would take down a bridge VM taps (or the agent's ports) are plugged into: ifdown deletes the
 * bridge and bringing it up again does not plug them back.
 */
export class OccupiedBridgeDownError extends LiveStateRefusal {
  constructor(readonly bridges: readonly { bridge: string; occupants: readonly string[] }[]) {
    const names = bridges.map((b) => b.bridge);
    super(
      `this run's activation would take down ${bridges.map((b) => `${b.bridge} (carrying ${b.occupants.join(', ')})`).join(', ')}: ifdown deletes a bridge, and bringing it up again from its file ` +
        `does not plug VM taps or the CloudStack agent's ports back, so the VMs on ${names.join(', ')} would lose their network; nothing was changed; ` +
        `fix: migrate or stop the VMs on ${names.join(', ')} (put the host in Maintenance), then run the host again`,
    );
  }
}

/**
 * networkmanager-ovs: `nmcli connection up` of an ovs-bridge profile active on its bridge deactivates it first,
 * and every port NetworkManager made on it with it (autoconnect-slaves brings them back): VM taps on the bridge
 * lose their uplink and the host its address on the bridge's internal interface meanwhile. A bridge another tool
 * made (ovs-vsctl) is one NetworkManager's first activation of the profile takes over: refused alike.
 */
export class NmOvsBridgeReactivationError extends LiveStateRefusal {
  constructor(readonly bridges: readonly { bridge: string; profile: string; occupants: readonly string[] }[]) {
    const names = bridges.map((b) => b.bridge).join(', ');
    super(
      `this run's activation would re-activate the NetworkManager OVS bridge ${bridges.map((b) => `${b.bridge} (carrying ${b.occupants.join(', ')})`).join(', ')}: ` +
        '`nmcli connection up` of an ovs-bridge profile brings the bridge up anew with the ports NetworkManager makes on it, deactivating an active one first and every port it made ' +
        `(its bond and the bond's NICs, its internal interface and the address on it), so the VMs on ${names} would lose their network until they are back; nothing was changed; ` +
        `fix: migrate or stop the VMs on ${names} (put the host in Maintenance), then run the host again, or keep the host's ${bridges.map((b) => b.profile).join(', ')} profile as it is`,
    );
  }
}

/** A live bond the intent makes, and the members it has that hostnet never listed. */
export interface ForeignBondMembers {
  bond: string;
  members: readonly string[];
  listed: readonly string[];
}

/** A live bond the intent makes has interfaces the profile does not list: the run would take them out of it. */
export class ForeignBondMemberError extends LiveStateRefusal {
  constructor(readonly bonds: readonly ForeignBondMembers[]) {
    const all = bonds.flatMap((b) => b.members);
    const one = all.length === 1;
    super(
      `${bonds.map((b) => `bond ${b.bond} on the host also has ${b.members.join(', ')}, which the host's profile does not list (it lists ${b.listed.join(', ')})`).join('; ')}: ` +
        `the run would take ${one ? 'it' : 'them'} out of the bond (hostnet configures only what its profile lists, and re-making the bond can interrupt what it carries), nothing was changed; ` +
        `fix: add ${all.join(', ')} to the bond's NICs in the host's profile if ${one ? 'it belongs' : 'they belong'} there, or release ${one ? 'it' : 'them'} from the bond (and remove ${one ? 'its' : 'their'} configuration) before the run`,
    );
  }
}

/** The intent names a NIC the host does not have. */
export class MissingNicError extends LiveStateRefusal {
  constructor(
    readonly missing: readonly { name: string; of?: string }[],
    readonly hostNics: readonly string[],
  ) {
    const named = missing.map((n) => `${n.name}${n.of ? ` (for ${n.of})` : ''}`).join(', ');
    super(
      `nics: ${named} ${missing.length === 1 ? 'is not an interface' : 'are not interfaces'} of the host (its NICs: ${hostNics.join(', ') || 'none read'}), so activation could not use ${missing.length === 1 ? 'it' : 'them'}; ` +
        `nothing was changed; fix: correct the NIC names in the host's profile (a dry-run or hostnet plan --zone Z reads the host's NICs; lint has no host to read), or pin the NIC by its MAC (hwaddrs in the host's hosts: entry)`,
    );
  }
}

/** The run would take addresses or static routes off devices it makes ports or deletes, and the intent does not put them back. */
export class LostAddressingError extends LiveStateRefusal {
  /** `flushed`: the devices the run's activation flushes and brings up again from hostnet's files (else: what it makes ports or deletes). */
  constructor(
    readonly lost: readonly string[],
    readonly flushed?: readonly string[],
    /** Said before the fix: the host reached may not be the host meant (see lost-addressing.guard.ts). */
    readonly otherHost?: string,
  ) {
    const where = flushed
      ? `${flushed.join(', ')}, which this run's activation takes down or flushes and brings up again from hostnet's files only`
      : 'a device the run makes a bridge or bond port (or deletes)';
    super(
      `this run would take away ${lost.join(', ')}: ${lost.length === 1 ? 'it sits' : 'they sit'} on ${where}, and the host's profile does not put ${lost.length === 1 ? 'it' : 'them'} back ` +
        `(hostnet's profiles configure the management and storage addresses, the default route and no other), nothing was changed; ` +
        (otherHost ? `${otherHost}; ` : '') +
        `fix: ${otherHost ? 'if it is, ' : ''}move ${lost.length === 1 ? 'it' : 'them'} to an interface the profile does not configure, or take ${lost.length === 1 ? 'it' : 'them'} off the host if no longer needed, then run the host again`,
    );
  }
}

/** The run would lower the MTU of links that run jumbo frames now, because the profile sets no MTU for them. */
export class MtuLoweringError extends LiveStateRefusal {
  constructor(readonly lowered: readonly { name: string; live: number; intended: number; network: string }[]) {
    const one = lowered.length === 1;
    const fallback = lowered[0]!.intended; // the default: only devices the profile sets no MTU for are refused
    const networks = new Set(lowered.map((l) => l.network));
    const where = `the profile's network${networks.size === 1 ? ` for ${lowered[0]!.network}` : 's carrying them'} (or its extras entry)`;
    super(
      `mtu: this run would lower ${lowered.map((l) => `${l.name} from ${l.live} to ${l.intended}`).join(', ')} (${one ? 'it runs' : 'they run'} larger frames now, and the host's profile ` +
        `sets no mtu for ${one ? 'it' : 'them'}, so ${one ? 'it' : 'they'} would fall back to the default ${fallback}; a device made anew takes it at once, the others at the next boot), nothing was changed; ` +
        `fix: set mtu: ${Math.max(...lowered.map((l) => l.live))} on ${where} if the larger frames are meant, or mtu: ${fallback} there to have the run lower ${one ? 'it' : 'them'}`,
    );
  }
}

/** A bridge a run would lower, and the ports on it that are not hostnet's running above the new MTU. */
export interface ForeignPortsAboveMtu {
  bridge: string;
  live: number;
  target: number;
  ports: readonly { name: string; mtu: number }[];
}

/**
 * A run would lower a bridge (and its uplink) under a VM's tap or another port hostnet does not own: hostnet
 * never changes that port, so the VM would keep sending frames the uplink then drops, with every check green.
 */
export class MtuAboveForeignPortsError extends LiveStateRefusal {
  constructor(readonly bridges: readonly ForeignPortsAboveMtu[]) {
    const ports = bridges.flatMap((b) => b.ports);
    const one = ports.length === 1;
    const target = Math.min(...bridges.map((b) => b.target));
    super(
      `mtu: this run would lower ${bridges
        .map((b) => `${b.bridge} from ${b.live} to ${b.target}, but ${b.ports.map((p) => `${p.name} (mtu ${p.mtu})`).join(', ')} on it ${b.ports.length === 1 ? 'runs' : 'run'} above ${b.target}`)
        .join('; ')} (${one ? 'it is' : 'they are'} not hostnet's: a VM's tap or the CloudStack agent's port, which a run never changes, so the VM's frames larger than the bridge's new MTU would be dropped), nothing was changed; ` +
        `fix: stop or migrate the VMs on ${bridges.map((b) => b.bridge).join(', ')} (put the host in maintenance), or lower ${one ? 'that interface' : 'those interfaces'} to ${target} or less first, then re-run`,
    );
  }
}

/** A column of an OVS row that a recreated row could not be given back (LiveOvsPort.unrestorable, LiveOvsBridge.unrestorable). */
export interface HeldOvsColumn {
  table: 'bridge' | 'port' | 'interface';
  row: string;
  column: string;
  value: string;
}

const HELD_WHY: Record<string, string> = {
  qos: 'a QoS row, which hostnet does not point a recreated port back at: an OVS whose QoS table is not a root table deletes it with its last port',
  bfd: 'a BFD session, which a recreated interface starts over',
  cfm_mpid: 'a CFM session, which a recreated interface starts over',
  controller: 'an OpenFlow controller (a Controller row, which OVSDB deletes with its bridge)',
  mirrors: 'a port mirror (a Mirror row, which OVSDB deletes with its bridge)',
  netflow: 'a NetFlow row, which OVSDB deletes with its bridge',
  sflow: 'an sFlow row, which OVSDB deletes with its bridge',
  ipfix: 'an IPFIX row, which OVSDB deletes with its bridge',
  auto_attach: 'an Auto Attach row, which OVSDB deletes with its bridge',
  flow_tables: 'Flow_Table rows, which OVSDB deletes with their bridge',
};

const TABLE_TITLES: Record<HeldOvsColumn['table'], string> = { bridge: 'Bridge', port: 'Port', interface: 'Interface' };

/** What an undo would recreate a row without, and the fix: the message both refusals below share. */
function notRestorable(kind: 'port' | 'bridge', name: string, held: readonly HeldOvsColumn[]): string {
  const what = held.map((h) => `${TABLE_TITLES[h.table]} ${h.row} ${h.column}=${h.value} (${HELD_WHY[h.column] ?? 'a column hostnet does not restore'})`);
  const clears = held.map((h) => `ovs-vsctl clear ${h.table} ${h.row} ${h.column}`);
  return (
    `OVS ${kind} ${name}: this run deletes it and, should the run not complete, its undo would recreate it without ${what.join(', ')}; nothing was changed; ` +
    `fix: clear ${held.length === 1 ? 'that column' : 'those columns'} before the run (${clears.join('; ')}) and set ${held.length === 1 ? 'it' : 'them'} again after it, or make this change to ${name} by hand, then run the host again`
  );
}

/**
 * The run would delete an OVS port (to recreate it, or the undo would recreate it) whose Port or Interface row
 * holds what the undo could not put back: it would come back without it, so the run does not start.
 */
export class OvsPortNotRestorableError extends LiveStateRefusal {
  constructor(
    readonly port: string,
    readonly held: readonly HeldOvsColumn[],
  ) {
    super(notRestorable('port', port, held));
  }
}

/**
 * The run would delete an OVS bridge (a retired one, a fake bridge it moves) whose Bridge row, or its own Port or
 * Interface row, holds what the undo could not put back: it would come back without it, so the run does not start.
 */
export class OvsBridgeNotRestorableError extends LiveStateRefusal {
  constructor(
    readonly bridge: string,
    readonly held: readonly HeldOvsColumn[],
  ) {
    super(notRestorable('bridge', bridge, held));
  }
}
