import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { PreviousFiles } from '../activation/activation-steps';
import type { AgentDevice } from '../agent/agent-properties';

/** Knobs a caller may set that are not part of the intent (they depend on the host, not the zone). */
export interface RenderOptions {
  /**
   * OVS datapath for bridges hostnet creates. Unset leaves OVS's default (`system`, kernel);
   * `netdev` is the userspace datapath used where the openvswitch kernel module is absent (the lab).
   */
  ovsDatapathType?: 'system' | 'netdev';
  /** The host runs ifupdown2 (activate with `ifreload -a`) rather than classic ifupdown. */
  ifupdown2?: boolean;
  /**
   * The host's network as facts found it. Given, the steps are planned from it to the intent
   * (nothing when it already matches) and `undoSteps` put it back; absent, the steps build from scratch.
   */
  live?: LiveState;
  /** The expected state hostnet's last run recorded on the host: what it made, and so may retire. */
  previous?: LiveState;
  /**
   * The host's config files as facts read them. Given, network-scripts targets activate only the
   * interfaces whose files change (ifdown/ifup) instead of `service network restart`.
   */
  previousFiles?: PreviousFiles;
  /**
   * The devices the host's agent.properties names once this run has written it (a relabel step rewrites
   * them): a run that would delete one is refused (agent-devices.guard.ts). Absent: the host has none.
   */
  agentDevices?: readonly AgentDevice[];
  /**
   * Open vSwitch is installed on the host but its database does not answer (ovsdb-server not running): an
   * OVS run is refused (ovs-database.guard.ts), its first ovs-vsctl or nmcli step could not run.
   */
  openvswitchDown?: boolean;
}
