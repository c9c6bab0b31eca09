import type { TrafficTypeName, ZoneNetworkTopology } from '@hostnet/cloudstack';

/** How a host is taken out of service before its contract step (docs/relabel.md, "Maintenance"). */
export type MaintenanceMode = 'required' | 'when-vms' | 'never';

/** The bridge implementation on a host; decides the expand layout and whether the agent derives br<pif>-<vlan>. */
export type RelabelBackend = 'linux' | 'ovs';

/** One label change as the operator asks for it. */
export interface RelabelChangeInput {
  /** Physical network id or name. */
  physicalNetwork: string;
  trafficType: string;
  newLabel: string;
}

/** Rollout strategy as the operator writes it; every field has a default. */
export interface RelabelStrategyInput {
  /** Hosts changed one at a time, each verified, before any wave (default 1). */
  canary?: number;
  /** Hosts of one cluster out of service at once: a count or `<n>%` of the cluster (default 1). */
  maxUnavailable?: number | string;
  /** Failed hosts that abort the rollout: a count or `<n>%` of the hosts in scope (default 1). */
  abortAfter?: number | string;
  /** Default `required`. */
  maintenance?: MaintenanceMode;
}

/** What hostnet knows about one host beyond CloudStack's view (from its intent or live facts); all optional. */
export interface RelabelHostFacts {
  /** Default `linux`. */
  backend?: RelabelBackend;
  /** Physical interface under each label bridge as the agent resolves it (BridgeVifDriver.getPif), by label. */
  pifs?: Record<string, string>;
  /** Running VMs at planning time; only informs `when-vms` (the run decides with a fresh count). */
  runningVms?: number;
  /** The host's NIC, bond and VLAN interface names (its intent): a new bridge cannot take one. */
  interfaces?: string[];
  /**
   * What changed in the host's intent beyond the relabel and no run applied yet (a profile reloaded, a
   * CloudStack change), as hostnet knows it; set only then. The expand would apply it too.
   */
  drift?: string;
}

export type OutOfScopePolicy = 'refuse' | 'leave-behind';

/** Hosts in scope with a `drift`: `refuse` (default) the plan, or `include` their changes on purpose (a warning names them). */
export type DriftedHostsPolicy = 'refuse' | 'include';

export interface RelabelInput {
  topology: ZoneNetworkTopology;
  changes: RelabelChangeInput[];
  /** Cluster ids or names; default every KVM cluster of the zone. */
  scope?: string[];
  /**
   * KVM hosts of the zone outside `scope`: CloudStack's label is zone-wide, so after the flip they are asked for
   * the new bridge too. `refuse` (default): the plan is refused while there are any. `leave-behind`: the operator
   * has given them the new bridge another way (or accepts that they fail to connect); the plan names them.
   */
  outOfScope?: OutOfScopePolicy;
  drifted?: DriftedHostsPolicy;
  strategy?: RelabelStrategyInput;
  /** By host id or name. */
  hostFacts?: Record<string, RelabelHostFacts>;
  /** Public VLAN ids in use (listVlanIpRanges); without them the worst case 4094 is checked. */
  publicVlans?: number[];
}

/** A change resolved against the topology. */
export interface ResolvedChange {
  physicalNetworkId: string;
  physicalNetworkName: string;
  trafficType: TrafficTypeName;
  trafficTypeId: string;
  /** kvmnetworklabel as stored; null when unset (rollback sends an empty string, which CloudStack stores as null). */
  oldKvmNetworkLabel: string | null;
  /** The bridge the agent uses today. */
  oldLabel: string;
  newLabel: string;
  /** Traffic types without a label of their own that ride on the old bridge through agent.properties. */
  followers: TrafficTypeName[];
}

export interface ResolvedStrategy {
  canary: number;
  /** The operator's value, echoed. */
  maxUnavailable: number | string;
  /** maxUnavailable resolved per cluster id (at least 1). */
  maxUnavailableByCluster: Record<string, number>;
  abortAfter: number;
  maintenance: MaintenanceMode;
}

/** One CloudStack API call in the order the run makes it. */
export interface CloudStackCall {
  api: 'updateTrafficType' | 'prepareHostForMaintenance' | 'cancelHostMaintenance' | 'updateHost';
  params: Record<string, string>;
  /** Async commands are followed to their end (listAsyncJobs / queryAsyncJobResult; updateHost is synchronous). */
  async: boolean;
  /** `if-running-vms`: made only when the host has running VMs at that moment (maintenance `when-vms`). */
  condition: 'always' | 'if-running-vms';
  /** Host the call concerns, for maintenance calls. */
  hostId?: string;
}

/**
 * expand: new bridge beside the old one; switch (linux, tagged traffic): agent.properties + agent restart right
 * after the flip; contract: the old bridge goes, the new one keeps the uplink (docs/relabel.md).
 */
export type HostStepKind = 'expand' | 'switch' | 'contract';

/** One hostnet run on one host (journal, verification and rollback are the apply lib's). */
export interface HostStep {
  kind: HostStepKind;
  hostId: string;
  hostName: string;
  clusterId: string;
  backend: RelabelBackend;
  /** Restart cloudstack-agent at the end of the step (the agent maps bridges only when it starts). */
  restartAgent: boolean;
  /** CloudStack calls made before (maintenance) and after (cancel) the host work. */
  before: CloudStackCall[];
  after: CloudStackCall[];
  /**
   * The step's files and commands are not in the plan (a 1,203-host plan stays small and quick): api renders
   * them per host on request, GET /relabels/:id/hosts/:host/diff (apps/api relabel-host-diff.ts).
   */
  diffHref: string;
}

export interface RelabelWave {
  index: number;
  kind: 'canary' | 'wave';
  steps: HostStep[];
}

export interface RelabelWarning {
  code: 'pif-unknown' | 'public-vlans-unknown' | 'host-not-up' | 'host-in-maintenance' | 'allocation-freeze' | 'out-of-scope-hosts' | 'drifted-hosts';
  message: string;
  hostIds?: string[];
}

export interface RelabelPlan {
  zoneId: string;
  changes: ResolvedChange[];
  strategy: ResolvedStrategy;
  /** Cluster ids in scope, natural order of their names. */
  clusterIds: string[];
  hostCount: number;
  expand: HostStep[];
  /** updateHost allocationstate=Disable for in-scope Enabled linux hosts, just before the flip (empty when not needed). */
  freeze: CloudStackCall[];
  /** The one label flip: one updateTrafficType per change, made together after every expand step succeeded. */
  flip: CloudStackCall[];
  /** Linux hosts, when a change can be VLAN-tagged by the agent: restart right after the flip, then Enable again. */
  switch: HostStep[];
  /** Canary waves (one host each) first, then waves bounded by maxUnavailable per cluster. */
  waves: RelabelWave[];
  /** Every CloudStack call of a full run, in order. */
  calls: CloudStackCall[];
  /** The label flip back, made after every changed host was taken back (reverse order of safety). */
  rollbackFlip: CloudStackCall[];
  warnings: RelabelWarning[];
  /** sha256 of the canonical JSON of the inputs and this plan (without the hash). */
  planHash: string;
}
