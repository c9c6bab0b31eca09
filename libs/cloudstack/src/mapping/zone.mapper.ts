import { Cluster, Pod, Zone } from '../domain/zone-network-topology';
import { RawReader } from './raw-reader';

/** Maps a raw `zone` object from listZones. */
export function mapZone(raw: unknown): Zone {
  const r = new RawReader(raw, 'listZones zone');
  return withoutUndefined({
    id: r.string('id'),
    name: r.string('name'),
    networkType: r.optString('networktype') === 'Basic' ? 'Basic' : 'Advanced',
    allocationState: r.optString('allocationstate'),
    dns1: r.optString('dns1'),
    dns2: r.optString('dns2'),
    internalDns1: r.optString('internaldns1'),
    internalDns2: r.optString('internaldns2'),
    domain: r.optString('domain'),
  });
}

/** Maps a raw `pod` object from listPods; a missing gateway/netmask reads as ''. */
export function mapPod(raw: unknown): Pod {
  const r = new RawReader(raw, 'listPods pod');
  return withoutUndefined({
    id: r.string('id'),
    name: r.string('name'),
    zoneId: r.string('zoneid'),
    gateway: r.optString('gateway') ?? '',
    netmask: r.optString('netmask') ?? '',
    allocationState: r.optString('allocationstate'),
  });
}

/** Maps a raw `cluster` object from listClusters. */
export function mapCluster(raw: unknown): Cluster {
  const r = new RawReader(raw, 'listClusters cluster');
  return withoutUndefined({
    id: r.string('id'),
    name: r.string('name'),
    podId: r.optString('podid') ?? '',
    zoneId: r.string('zoneid'),
    hypervisorType: r.optString('hypervisortype') ?? '',
    allocationState: r.optString('allocationstate'),
  });
}

/** Drops undefined optionals so JSON output and deep equality stay clean. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
