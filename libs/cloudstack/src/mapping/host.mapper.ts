import { HostResourceState, HostState, KvmHost } from '../domain/zone-network-topology';
import { cloudStackVersionOrUndefined } from './cloudstack-version';
import { RawReader } from './raw-reader';

/**
 * Maps a raw `host` object (listHosts, addHost, updateHost, maintenance job results).
 * States outside the known enums pass through unchanged (newer CloudStack versions add some);
 * a missing `state` reads as 'Unknown'. `version` (the agent's) is kept only when it looks like one.
 */
export function mapHost(raw: unknown, command = 'listHosts'): KvmHost {
  const r = new RawReader(raw, `${command} host`);
  const host: KvmHost = {
    id: r.string('id'),
    name: r.string('name'),
    ipAddress: r.optString('ipaddress') ?? '',
    zoneId: r.string('zoneid'),
    podId: r.optString('podid') ?? '',
    clusterId: r.optString('clusterid') ?? '',
    state: (r.optString('state') ?? 'Unknown') as HostState,
    resourceState: (r.optString('resourcestate') ?? 'Creating') as HostResourceState,
    hypervisor: r.optString('hypervisor') ?? '',
  };
  const agentVersion = cloudStackVersionOrUndefined(r.optString('version'));
  if (agentVersion !== undefined) host.agentVersion = agentVersion;
  return host;
}
