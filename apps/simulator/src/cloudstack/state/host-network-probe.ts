/** What the simulator asks about a host's networking before letting it connect (CheckNetworkCommand). */
export interface HostNetworkProbeTarget {
  /** Host id when the host already exists (reconnect), absent during addHost. */
  id?: string;
  name: string;
  ipAddress: string;
  /** The zone's KVM labels (private, guest, public, de-duplicated) the agent must find as devices. */
  requiredLabels: string[];
}

/** Probe answer: ok, or the labels whose bridge/device is missing; optionally the host's hostname. */
export interface HostNetworkProbeResult {
  ok: boolean;
  missing: string[];
  hostname?: string;
}

/** Checks a host's bridges, e.g. against a simulated KVM host; supplied by whoever starts the simulator. */
export type HostNetworkProbe = (target: HostNetworkProbeTarget) => Promise<HostNetworkProbeResult>;
