import type { KvmHost } from '@hostnet/cloudstack';
import type { HostNetworkIntent } from '@hostnet/intent';

/** Where the worker reaches a host: what SshEndpoints resolves an SSH address from. */
export interface RunHost {
  id: string;
  name: string;
  /** The host's management address in CloudStack (or the pending host's), used when no SSH endpoint names it. */
  ipAddress: string;
  zoneId: string;
}

/** The part of a CloudStack host the worker needs to reach it. */
export function runHostOf(host: KvmHost): RunHost {
  return { id: host.id, name: host.name, ipAddress: host.ipAddress, zoneId: host.zoneId };
}

/**
 * Everything a configure run needs that api derived from CloudStack and the profiles, stored by spec
 * hash so the worker never reads CloudStack: the host, and its intent with any relabel overlay applied.
 */
export interface HostRunSpec {
  host: RunHost;
  intent: HostNetworkIntent;
  specHash: string;
}
