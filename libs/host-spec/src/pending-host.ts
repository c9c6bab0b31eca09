import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { PendingHost } from '@hostnet/contracts';

/** The id hostnet uses for a host CloudStack does not know yet (colon-free, so a valid job id). */
export function pendingHostId(ipAddress: string): string {
  return `${PENDING_PREFIX}${ipAddress.replace(/[.:]/g, '-')}`;
}

const PENDING_PREFIX = 'pending-';

/** Whether `hostId` is a pendingHostId: a host POST /hosts/add configured before CloudStack knew it. */
export function isPendingHostId(hostId: string): boolean {
  return hostId.startsWith(PENDING_PREFIX);
}

/**
 * The topology as it will be once the host is added: the same zone plus this host, so the intent
 * (management IP from its pod, labels from the zone) is derived exactly as for any other host.
 */
export function withPendingHost(topology: ZoneNetworkTopology, pending: PendingHost): { topology: ZoneNetworkTopology; host: KvmHost } {
  const host: KvmHost = {
    id: pendingHostId(pending.ipAddress),
    name: pending.name,
    ipAddress: pending.ipAddress,
    zoneId: topology.zone.id,
    podId: pending.podId,
    clusterId: pending.clusterId,
    state: 'Creating',
    resourceState: 'Creating',
    hypervisor: 'KVM',
  };
  return { topology: { ...topology, hosts: [...topology.hosts.filter((h) => h.id !== host.id), host] }, host };
}
