import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { decideStorageAgentRule } from '../agent/storage-version.rule';
import type { BridgeBackend, BridgeIntent } from '../domain/host-network-intent';
import type { ViolationList } from '../validation/intent-violation';
import type { DeviceRegistry } from './device-registry';
import type { TaggedLabel } from './uplink.planner';

/** What the check reads besides the planned devices. */
export interface StorageAgentCheckInput {
  topology: ZoneNetworkTopology;
  host: KvmHost;
  backend: BridgeBackend;
  /** The VLAN of the pod's storage range (undefined: untagged or no range). */
  storageVlan?: number;
  /** Labels planned on a VLAN of their uplink, with the profile field that put them there. */
  tagged: readonly TaggedLabel[];
}

/** The Storage traffic type of the zone: the bridge its NICs start from and where CloudStack holds it. */
function storageTraffic(topology: ZoneNetworkTopology): { label: string; labeled: boolean; field: string } | undefined {
  for (const [n, network] of topology.physicalNetworks.entries()) {
    const t = network.trafficTypes.findIndex((traffic) => traffic.trafficType === 'Storage');
    if (t < 0) continue;
    const traffic = network.trafficTypes[t];
    return { label: traffic.effectiveLabel, labeled: traffic.labelSource === 'cloudstack', field: `topology.physicalNetworks[${n}].trafficTypes[${t}].effectiveLabel` };
  }
  return undefined;
}

/** The VLAN a bridge's own traffic leaves on: an OVS fake bridge's tag or its VLAN interface's id; null when untagged. */
function bridgeVlan(bridge: BridgeIntent, devices: DeviceRegistry): number | null {
  if (bridge.vlanId !== undefined) return bridge.vlanId;
  return devices.vlans.get(bridge.uplink ?? '')?.vlanId ?? null;
}

/**
 * Checks the Storage bridge against what this host's agent does with a storage NIC (storage-version.rule.ts).
 * Every violation starts with the agent and version the rule was chosen for.
 */
export function checkStorageAgentRule(input: StorageAgentCheckInput, devices: DeviceRegistry, errors: ViolationList): void {
  const storage = storageTraffic(input.topology);
  if (!storage) return;
  const decision = decideStorageAgentRule({ agentVersion: input.host.agentVersion, backend: input.backend, storageVlan: input.storageVlan, storageLabeled: storage.labeled });
  const bridge = devices.bridges.get(storage.label);
  const vlan = input.storageVlan;
  if (!bridge || vlan === undefined || decision.rule === 'storage-untagged') return;
  const { agent, storageBridge } = decision;

  if (decision.rule === 'agent-builds-vlan-bridge') {
    const pif = devices.vlans.get(bridge.uplink ?? '')?.parent ?? bridge.uplink;
    if (pif === undefined) return;
    const vlanName = `${pif}.${vlan}`;
    const owner = devices.vlans.get(vlanName)?.bridge;
    if (owner === undefined) return;
    const fix = owner === storage.label
      ? `let the agent own ${vlanName}: set Storage's KVM label in CloudStack to an untagged bridge on ${pif} (or unset it, so it falls back to the management bridge) and remove bridge ${owner} from the profile; a host address on VLAN ${vlan} needs an uplink other than ${pif}`
      : `let the agent own ${vlanName}: remove bridge ${owner} from the profile, or put it on an uplink other than ${pif}`;
    errors.add(
      devices.vlanFields.get(vlanName) ?? storage.field,
      vlanName,
      `— ${agent}: for the storage NIC the agent itself creates br${pif}-${vlan} from ${vlanName} on the pif under ${storage.label}, ${storageBridge} (BridgeVifDriver.createStorageVnetBridgeIfNeeded, 4.20.2 and later); hostnet must not put ${vlanName} into ${owner}, or the agent takes it over and ${owner} loses its port`,
      fix,
    );
    return;
  }

  const on = bridgeVlan(bridge, devices);
  if (on === vlan || (decision.rule === 'version-unknown' && on === null)) return;
  const tagged = input.tagged.find((t) => t.group.label === storage.label);
  const where = on === null ? 'untagged' : `on VLAN ${on}`;
  const upgrade = decision.rule === 'version-unknown'
    ? `, or let CloudStack report the agent's version (a 4.20.2+ Linux-bridge agent tags storage NICs itself)`
    : input.backend === 'linux' ? ', or upgrade the agent to 4.20.2 or later, which tags storage NICs itself' : '';
  errors.add(
    tagged?.field ?? storage.field,
    tagged ? on : storage.label,
    `— ${agent}: plugs storage NICs untagged into ${storage.label}, ${storageBridge}, which is ${where}, but the pod's storage range is on VLAN ${vlan}, so storage traffic would leave on the wrong VLAN`,
    `give Storage its own KVM label in CloudStack (e.g. cloudbr${vlan}) served by an extras bridge on VLAN ${vlan}, or put the storage range on the VLAN ${storage.label} is on${upgrade}`,
  );
}
