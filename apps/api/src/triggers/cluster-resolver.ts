import { Injectable } from '@nestjs/common';
import { namedAs } from '@hostnet/contracts';
import { CloudStackClient, isUnknownEntityError, type Cluster, type Zone } from '@hostnet/cloudstack';
import { AmbiguousTargetError, TargetNotFoundError } from './target-errors';
import { isCloudStackUuid } from './cloudstack-uuid';

/** A cluster as an operator named it, resolved to CloudStack's id and zone. */
export interface ResolvedCluster {
  id: string;
  name: string;
  zoneId: string;
}

/**
 * Finds a cluster by id, else by exact name, else by case-insensitive name (as zones are found).
 * Names are unique only within a pod, so a name found in several places is refused with the
 * candidates rather than guessed.
 */
@Injectable()
export class ClusterResolver {
  constructor(private readonly cloudstack: CloudStackClient) {}

  async resolve(idOrName: string): Promise<ResolvedCluster> {
    const wanted = idOrName.trim();
    if (isCloudStackUuid(wanted)) {
      const byId = await this.byId(wanted);
      if (byId) return byId;
    }
    return this.byName(wanted);
  }

  /** listHosts clusterid=…: one call gives the zone; CloudStack's 431 means no cluster has that id. */
  private async byId(id: string): Promise<ResolvedCluster | undefined> {
    try {
      const hosts = await this.cloudstack.listHosts({ clusterId: id });
      if (hosts.length === 0) throw new TargetNotFoundError(`no KVM hosts in cluster ${id}`);
      return { id, name: id, zoneId: hosts[0]!.zoneId };
    } catch (error) {
      if (isUnknownEntityError(error, 'clusterid')) return undefined;
      throw error;
    }
  }

  private async byName(wanted: string): Promise<ResolvedCluster> {
    const zones = await this.cloudstack.listZones();
    const perZone = await Promise.all(zones.map(async (zone) => ({ zone, clusters: await this.cloudstack.listClusters(zone.id) })));
    const all = perZone.flatMap(({ zone, clusters }) => clusters.map((cluster) => ({ cluster, zone })));
    const matches = namedAs(all, wanted, ({ cluster }) => cluster.name);
    if (matches.length === 1) return resolved(matches[0]!.cluster);
    if (matches.length > 1) throw new AmbiguousTargetError('cluster', wanted, matches.map(candidate));
    throw new TargetNotFoundError(`CloudStack has no cluster with id or name ${JSON.stringify(wanted)}; ${knownClusters(all)}`, true);
  }
}

/** Clusters named in a not-found answer, as unknown zones list theirs. */
const KNOWN_NAMED = 10;

function knownClusters(all: { cluster: Cluster; zone: Zone }[]): string {
  if (all.length === 0) return 'known clusters: none visible to this API key';
  const named = all.slice(0, KNOWN_NAMED).map(({ cluster, zone }) => `${JSON.stringify(cluster.name)} (zone ${JSON.stringify(zone.name)})`);
  return `known clusters: ${named.join(', ')}${all.length > KNOWN_NAMED ? `, … (${all.length} in all)` : ''}`;
}

function resolved(cluster: Cluster): ResolvedCluster {
  return { id: cluster.id, name: cluster.name, zoneId: cluster.zoneId };
}

function candidate({ cluster, zone }: { cluster: Cluster; zone: Zone }) {
  return { id: cluster.id, name: cluster.name, zoneId: zone.id, zoneName: zone.name };
}
