import type { BondIntent, BridgeIntent, NicIntent, VlanIntent } from '../domain/host-network-intent';
import type { ViolationList } from '../validation/intent-violation';

/** The devices planned so far, keyed by name; refuses a second device with the same name. */
export class DeviceRegistry {
  readonly nics = new Map<string, NicIntent>();
  readonly bonds = new Map<string, BondIntent>();
  readonly vlans = new Map<string, VlanIntent>();
  readonly bridges = new Map<string, BridgeIntent>();
  /** The profile field that asked for each VLAN interface, for errors found after planning. */
  readonly vlanFields = new Map<string, string>();
  /**
   * The profile field an operator edits to change each device's MTU (the one that set it, else the entry that
   * made the device), so an MTU rule broken in the intent names it rather than the intent's own path.
   */
  readonly mtuFields = new Map<string, string>();
  /** Physical network id each uplink carries (an uplink may carry several). */
  readonly uplinkNetworks = new Map<string, Set<string>>();

  constructor(private readonly errors: ViolationList) {}

  /** Kind of an existing device, or undefined. */
  kindOf(name: string): 'nic' | 'bond' | 'vlan' | 'bridge' | undefined {
    if (this.nics.has(name)) return 'nic';
    if (this.bonds.has(name)) return 'bond';
    if (this.vlans.has(name)) return 'vlan';
    if (this.bridges.has(name)) return 'bridge';
    return undefined;
  }

  /** Registers a device unless its name is taken; returns false (and reports) when it is. */
  claim(name: string, field: string): boolean {
    const existing = this.kindOf(name);
    if (existing === undefined) return true;
    this.errors.add(field, name, `is already the name of a ${existing}`, 'give every NIC, bond, VLAN interface and bridge its own name');
    return false;
  }

  /**
   * claim for the bridge a traffic label names. A label that names one of the host's NICs, bonds or VLAN interfaces
   * is the usual mistake (the interface meant as the traffic's uplink): said as such, not as a clash of two names.
   */
  claimLabelBridge(name: string, field: string, trafficTypes: readonly string[]): boolean {
    const existing = this.kindOf(name);
    if (existing === undefined || existing === 'bridge') return this.claim(name, field);
    this.errors.add(
      field,
      name,
      `(${trafficTypes.join(', ')} traffic) names the ${existing === 'nic' ? 'NIC' : existing === 'bond' ? 'bond' : 'VLAN interface'} ${name} of this host's uplinks, not a bridge: a KVM traffic label is the name of the bridge CloudStack plugs that traffic into, which hostnet makes on top of the uplink`,
      `set the label to a bridge name (e.g. cloudbr1) in CloudStack (hostnet relabel plan), keeping ${name} as the uplink in the profile`,
    );
    return false;
  }

  /** The untagged bridge whose uplink is `uplink`, if any. */
  untaggedBridgeOn(uplink: string): BridgeIntent | undefined {
    for (const bridge of this.bridges.values()) if (bridge.uplink === uplink) return bridge;
    return undefined;
  }
}
