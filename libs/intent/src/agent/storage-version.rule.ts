import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { BridgeBackend } from '../domain/host-network-intent';

/**
 * Where a KVM agent puts a system VM's Storage NIC, by agent version and backend: the one place
 * hostnet decides it (matrix and sources: libs/intent/README.md, "Storage and the agent version").
 *
 * - BridgeVifDriver.plug before 4.20.2 and OvsVifDriver.plug (every version read): the NIC goes
 *   untagged into the Storage label's bridge, or the private (management) bridge when Storage has no
 *   label, whatever VLAN the storage range is on.
 * - BridgeVifDriver.plug from 4.20.2 / 4.21.0 (apache/cloudstack PR 11245, createStorageVnetBridgeIfNeeded):
 *   with the storage range on a VLAN the agent itself creates `<pif>.<vlan>` and `br<pif>-<vlan>` on
 *   the pif under that same bridge (modifyvlan.sh) and plugs the NIC there.
 */

/** First release of the 4.20 line whose Linux-bridge agent tags storage NICs itself (4.21.0 and later do too). */
export const AGENT_TAGS_STORAGE_SINCE: readonly number[] = [4, 20, 2];

/** What hostnet must make of the Storage bridge on one host. */
export type StorageAgentRule =
  /** No storage VLAN: every agent plugs the NIC untagged into the Storage bridge; nothing depends on the version. */
  | 'storage-untagged'
  /** The NIC lands untagged in the Storage bridge, so that bridge must be on the storage VLAN. */
  | 'plugs-into-storage-bridge'
  /** The agent builds `br<pif>-<vlan>` from `<pif>.<vlan>`: hostnet must leave `<pif>.<vlan>` to it. */
  | 'agent-builds-vlan-bridge'
  /** Linux bridge, version not reported: either may apply; hostnet keeps its earlier checks and the lint warns. */
  | 'version-unknown';

/** The facts the rule depends on. */
export interface StorageAgentFacts {
  /** The host's agent version (listHosts `version`); undefined when not reported. */
  agentVersion?: string;
  backend: BridgeBackend;
  /** The VLAN of the pod's storage range; undefined when untagged or when the pod has no range. */
  storageVlan?: number;
  /** Storage has a KVM label of its own (false: the agent falls back to the management bridge). */
  storageLabeled: boolean;
}

/** The rule for one host, with the words every message about it starts with. */
export interface StorageAgentDecision {
  rule: StorageAgentRule;
  /** e.g. `CloudStack 4.19.1.0 agent (Linux bridge)`, `CloudStack agent of unknown version (Linux bridge)`. */
  agent: string;
  /** The bridge the agent starts from, in words: `the Storage label's bridge` or `the management bridge (Storage has no KVM label)`. */
  storageBridge: string;
}

/** `4.20.2.0-SNAPSHOT` → [4, 20, 2, 0]; null for anything that is not a CloudStack version. */
export function parseCloudStackVersion(text: string | undefined): number[] | null {
  const match = text === undefined ? null : /^(\d{1,4}(?:\.\d{1,6}){1,3})(?:-[A-Za-z0-9.]{1,40})?$/.exec(text);
  return match ? match[1].split('.').map(Number) : null;
}

/** True when version `a` is at least `b` (missing parts count as 0). */
export function versionAtLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** True when CloudStack holds a KVM label for Storage (false: the agent falls back to the management bridge). */
export function storageHasOwnLabel(topology: ZoneNetworkTopology): boolean {
  return topology.physicalNetworks.some((n) => n.trafficTypes.some((t) => t.trafficType === 'Storage' && t.labelSource === 'cloudstack'));
}

/** Decides where this host's agent puts storage NICs. Pure. */
export function decideStorageAgentRule(facts: StorageAgentFacts): StorageAgentDecision {
  const version = parseCloudStackVersion(facts.agentVersion);
  const backend = facts.backend === 'ovs' ? 'Open vSwitch' : 'Linux bridge';
  const agent = version ? `CloudStack ${facts.agentVersion} agent (${backend})` : `CloudStack agent of unknown version (${backend})`;
  const storageBridge = facts.storageLabeled ? "the Storage label's bridge" : 'the management bridge (Storage has no KVM label)';
  const decide = (rule: StorageAgentRule): StorageAgentDecision => ({ rule, agent, storageBridge });
  if (facts.storageVlan === undefined) return decide('storage-untagged');
  if (facts.backend === 'ovs') return decide('plugs-into-storage-bridge');
  if (version === null) return decide('version-unknown');
  return decide(versionAtLeast(version, AGENT_TAGS_STORAGE_SINCE) ? 'agent-builds-vlan-bridge' : 'plugs-into-storage-bridge');
}
