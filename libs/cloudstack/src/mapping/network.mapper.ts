import { CloudStackProtocolError } from '../errors/cloudstack-error';
import { PhysicalNetwork, TrafficType } from '../domain/cloudstack-records';
import { StorageNetworkRange, TrafficTypeName } from '../domain/zone-network-topology';
import { RawReader } from './raw-reader';
import { parseVlanRanges } from './vlan-range.parser';
import { withoutUndefined } from './zone.mapper';

const PHYSICAL_TRAFFIC: readonly TrafficTypeName[] = ['Management', 'Guest', 'Public', 'Storage'];

/** Maps a raw `physicalnetwork` object (listPhysicalNetworks, createPhysicalNetwork job). */
export function mapPhysicalNetwork(raw: unknown): PhysicalNetwork {
  const r = new RawReader(raw, 'listPhysicalNetworks physicalnetwork');
  const id = r.string('id');
  let vlanRanges;
  try {
    vlanRanges = parseVlanRanges(r.optString('vlan'));
  } catch (e) {
    throw new CloudStackProtocolError(`physical network ${id}: ${(e as Error).message}`, 'listPhysicalNetworks');
  }
  return withoutUndefined({
    id,
    name: r.optString('name') ?? id,
    zoneId: r.string('zoneid'),
    state: r.optString('state'),
    isolationMethods: r.list('isolationmethods'),
    vlanRanges,
    tags: r.list('tags'),
  });
}

/**
 * Maps a raw `traffictype` object. Returns null for non-physical types (Control, Vpn, None),
 * which hostnet never builds bridges for. An empty label is unset (updateTrafficType stores NULL).
 */
export function mapTrafficType(raw: unknown, command = 'listTrafficTypes'): TrafficType | null {
  const r = new RawReader(raw, `${command} traffictype`);
  const name = r.string('traffictype');
  if (!(PHYSICAL_TRAFFIC as readonly string[]).includes(name)) return null;
  const label = r.optString('kvmnetworklabel');
  return {
    id: r.string('id'),
    trafficType: name as TrafficTypeName,
    physicalNetworkId: r.string('physicalnetworkid'),
    kvmNetworkLabel: label === undefined || label.trim() === '' ? null : label,
  };
}

/** Maps a raw `storagenetworkiprange`; `vlan` is an integer-like VLAN id or absent. */
export function mapStorageRange(raw: unknown): StorageNetworkRange {
  const r = new RawReader(raw, 'listStorageNetworkIpRange storagenetworkiprange');
  return withoutUndefined({
    id: r.string('id'),
    zoneId: r.string('zoneid'),
    podId: r.optString('podid') ?? '',
    startIp: r.string('startip'),
    endIp: r.optString('endip') ?? r.string('startip'),
    netmask: r.optString('netmask') ?? '',
    gateway: r.optString('gateway'),
    vlan: r.optNumber('vlan'),
  });
}
