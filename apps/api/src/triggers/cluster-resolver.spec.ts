import { CloudStackApiError, type CloudStackClient, type Cluster, type KvmHost, type Zone } from '@hostnet/cloudstack';
import { ClusterResolver } from './cluster-resolver';
import { AmbiguousTargetError, TargetNotFoundError } from './target-errors';

const ID = '6f0c2b8e-8d3c-4f7e-9a51-2b1c3d4e5f60';
const zones: Zone[] = [
  { id: 'z1', name: 'EU West', networkType: 'Advanced' },
  { id: 'z2', name: 'EU East', networkType: 'Advanced' },
];
const cluster = (id: string, name: string, zoneId: string): Cluster => ({ id, name, zoneId, podId: `pod-${zoneId}`, hypervisorType: 'KVM' });
const clusters: Record<string, Cluster[]> = {
  z1: [cluster(ID, 'KVM ~ Rack (1)', 'z1'), cluster('c-shared-1', 'shared', 'z1')],
  z2: [cluster('c-shared-2', 'shared', 'z2'), cluster('c-gpu', 'GPU', 'z2')],
};
const unknownCluster = (id: string) =>
  new CloudStackApiError({
    command: 'listHosts',
    params: { clusterid: id },
    httpStatus: 431,
    errorText: `Invalid parameter clusterid value=${id} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
  });

function resolver(hostsById: Record<string, KvmHost[]> = {}) {
  const cloudstack = {
    listZones: jest.fn(async () => zones),
    listClusters: jest.fn(async (zoneId: string) => clusters[zoneId] ?? []),
    listHosts: jest.fn(async ({ clusterId }: { clusterId: string }) => {
      if (!(clusterId in hostsById)) throw unknownCluster(clusterId);
      return hostsById[clusterId]!;
    }),
  };
  return { cloudstack, resolver: new ClusterResolver(cloudstack as unknown as CloudStackClient) };
}

describe('ClusterResolver', () => {
  it('takes a cluster id with one listHosts call, and never lists clusters', async () => {
    const { cloudstack, resolver: r } = resolver({ [ID]: [{ zoneId: 'z1' } as KvmHost] });
    await expect(r.resolve(ID)).resolves.toEqual({ id: ID, name: ID, zoneId: 'z1' });
    expect(cloudstack.listClusters).not.toHaveBeenCalled();
  });

  it('finds a name CloudStack allows (spaces, tilde, parentheses) across every zone', async () => {
    const { cloudstack, resolver: r } = resolver();
    await expect(r.resolve('KVM ~ Rack (1)')).resolves.toEqual({ id: ID, name: 'KVM ~ Rack (1)', zoneId: 'z1' });
    expect(cloudstack.listHosts).not.toHaveBeenCalled();
  });

  it('falls back to a case-insensitive name when no name matches exactly', async () => {
    await expect(resolver().resolver.resolve('gpu')).resolves.toMatchObject({ id: 'c-gpu', zoneId: 'z2' });
  });

  it('refuses a name found in several zones, listing each candidate', async () => {
    const error = await resolver().resolver.resolve('shared').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousTargetError);
    expect((error as AmbiguousTargetError).candidates).toEqual([
      { id: 'c-shared-1', name: 'shared', zoneId: 'z1', zoneName: 'EU West' },
      { id: 'c-shared-2', name: 'shared', zoneId: 'z2', zoneName: 'EU East' },
    ]);
    expect((error as Error).message).toBe(
      'cluster name "shared" matches 2 clusters: c-shared-1 (zone "EU West"), c-shared-2 (zone "EU East"); pass the cluster id instead',
    );
  });

  it('names what it could not find, as unknown to CloudStack', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    for (const wanted of ['nowhere', unknownId]) {
      const error = await resolver().resolver.resolve(wanted).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TargetNotFoundError);
      expect((error as TargetNotFoundError).unknownToCloudStack).toBe(true);
      expect((error as Error).message).toBe(
        `CloudStack has no cluster with id or name "${wanted}"; known clusters: "KVM ~ Rack (1)" (zone "EU West"), "shared" (zone "EU West"), "shared" (zone "EU East"), "GPU" (zone "EU East")`,
      );
    }
  });

  it('a cluster id with no KVM host is a not-found, not a name lookup', async () => {
    const error = await resolver({ [ID]: [] }).resolver.resolve(ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetNotFoundError);
    expect((error as Error).message).toBe(`no KVM hosts in cluster ${ID}`);
  });
});
