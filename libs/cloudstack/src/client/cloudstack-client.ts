import { AddKvmHostRequest, Capabilities, HostAllocationAction, PhysicalNetwork, TrafficType } from '../domain/cloudstack-records';
import { Cluster, KvmHost, Pod, StorageNetworkRange, Zone } from '../domain/zone-network-topology';
import { CloudStackProtocolError } from '../errors/cloudstack-error';
import { mapCapabilities } from '../mapping/capabilities.mapper';
import { mapHost } from '../mapping/host.mapper';
import { mapPhysicalNetwork, mapStorageRange, mapTrafficType } from '../mapping/network.mapper';
import { mapCluster, mapPod, mapZone } from '../mapping/zone.mapper';
import { ApiParams } from '../signing/request-signer';
import { ApiRequester } from './api-requester';
import { AsyncJobPoller } from './async-job-poller';
import { CallCounter } from './call-counter';
import { CloudStackClientOptions, resolveClientOptions } from './client-options';
import { HttpTransport } from './http-transport';
import { fetchAllPages } from './list-pager';
import { validateAddHost, validateAllocation, validateId, validateLabel } from './request-validation';

/** An async job as queryAsyncJobResult tells it. */
export type AsyncJobStatus = 'pending' | 'succeeded' | 'failed';

/** Filters for listHosts; type=Routing and hypervisor=KVM are always sent. */
export interface HostFilter {
  zoneId?: string;
  podId?: string;
  clusterId?: string;
  id?: string;
}

/**
 * Typed client for the CloudStack commands hostnet uses. Lists are fetched across every page;
 * async commands are polled to completion; failures are CloudStackError subclasses.
 */
export class CloudStackClient {
  /** HTTP requests sent so far, by command (retries and polls included). */
  readonly calls = new CallCounter();
  private readonly requester: ApiRequester;
  private readonly poller: AsyncJobPoller;
  private readonly addHostTimeoutMs: number;

  constructor(options: CloudStackClientOptions, sleep: (ms: number) => Promise<void> = defaultSleep) {
    const resolved = resolveClientOptions(options);
    this.addHostTimeoutMs = resolved.addHostTimeoutMs;
    this.requester = new ApiRequester(resolved, new HttpTransport(resolved), this.calls, sleep);
    this.poller = new AsyncJobPoller(this.requester, {
      pollIntervalMs: resolved.pollIntervalMs,
      timeoutMs: resolved.asyncTimeoutMs,
      now: resolved.now,
      sleep,
    });
  }

  /** listZones (all zones visible to the key, or filtered by id/name). */
  async listZones(filter: { id?: string; name?: string } = {}): Promise<Zone[]> {
    return (await this.list('listZones', 'zone', compact({ id: filter.id, name: filter.name }))).map(mapZone);
  }

  /** listPods in a zone. */
  async listPods(zoneId: string): Promise<Pod[]> {
    return (await this.list('listPods', 'pod', { zoneid: validateId(zoneId, 'zoneId', 'listPods') })).map(mapPod);
  }

  /** listClusters in a zone. */
  async listClusters(zoneId: string): Promise<Cluster[]> {
    const raw = await this.list('listClusters', 'cluster', { zoneid: validateId(zoneId, 'zoneId', 'listClusters') });
    return raw.map(mapCluster);
  }

  /** listHosts type=Routing hypervisor=KVM with optional filters. */
  async listHosts(filter: HostFilter = {}): Promise<KvmHost[]> {
    const params = compact({ zoneid: filter.zoneId, podid: filter.podId, clusterid: filter.clusterId, id: filter.id });
    const raw = await this.list('listHosts', 'host', { ...params, type: 'Routing', hypervisor: 'KVM' });
    return raw.map((h) => mapHost(h));
  }

  /** listPhysicalNetworks in a zone. */
  async listPhysicalNetworks(zoneId: string): Promise<PhysicalNetwork[]> {
    const zoneid = validateId(zoneId, 'zoneId', 'listPhysicalNetworks');
    return (await this.list('listPhysicalNetworks', 'physicalnetwork', { zoneid })).map(mapPhysicalNetwork);
  }

  /** listTrafficTypes of one physical network (Management/Guest/Public/Storage only). */
  async listTrafficTypes(physicalNetworkId: string): Promise<TrafficType[]> {
    const id = validateId(physicalNetworkId, 'physicalNetworkId', 'listTrafficTypes');
    const raw = await this.list('listTrafficTypes', 'traffictype', { physicalnetworkid: id });
    return raw.map((t) => mapTrafficType(t)).filter((t): t is TrafficType => t !== null);
  }

  /** listStorageNetworkIpRange in a zone. */
  async listStorageNetworkIpRanges(zoneId: string): Promise<StorageNetworkRange[]> {
    const zoneid = validateId(zoneId, 'zoneId', 'listStorageNetworkIpRange');
    return (await this.list('listStorageNetworkIpRange', 'storagenetworkiprange', { zoneid })).map(mapStorageRange);
  }

  /** listCapabilities (a single object, not a list). */
  async listCapabilities(): Promise<Capabilities> {
    const body = await this.requester.request('listCapabilities');
    return mapCapabilities(body.capability);
  }

  /** updateHost allocationstate=Enable|Disable (sync). */
  async updateHostAllocation(hostId: string, action: HostAllocationAction): Promise<KvmHost> {
    const params = { id: validateId(hostId, 'hostId', 'updateHost'), allocationstate: validateAllocation(action) };
    const body = await this.requester.request('updateHost', params);
    return mapHost(body.host, 'updateHost');
  }

  /** updateTrafficType kvmnetworklabel (async; '' clears the label). */
  async updateTrafficTypeLabel(trafficTypeId: string, kvmNetworkLabel: string): Promise<TrafficType> {
    const params = {
      id: validateId(trafficTypeId, 'trafficTypeId', 'updateTrafficType'),
      kvmnetworklabel: validateLabel(kvmNetworkLabel),
    };
    const result = await this.runAsync('updateTrafficType', params, 'traffictype', true);
    const mapped = mapTrafficType(result, 'updateTrafficType');
    if (!mapped) throw new CloudStackProtocolError('updateTrafficType returned a non-physical traffic type', 'updateTrafficType');
    return mapped;
  }

  /**
   * queryAsyncJobResult once: whether an async job (a jobid a timed-out command named) is still pending,
   * or ended (succeeded or failed). Lets a caller wait out a job before sending a command that would race it.
   */
  async asyncJobStatus(jobId: string): Promise<AsyncJobStatus> {
    const body = await this.requester.request('queryAsyncJobResult', { jobid: validateId(jobId, 'jobId', 'queryAsyncJobResult') });
    const status = Number(body.jobstatus);
    if (status === 0) return 'pending';
    if (status === 1) return 'succeeded';
    if (status === 2) return 'failed';
    throw new CloudStackProtocolError(`CloudStack queryAsyncJobResult job ${jobId}: unknown jobstatus ${String(body.jobstatus)}`, 'queryAsyncJobResult');
  }

  /**
   * How many VMs run on the host now: user VMs (listVirtualMachines) and virtual routers (listRouters), both
   * listall=true, and system VMs (listSystemVms: SSVM, CPVM), which listVirtualMachines never lists.
   */
  async countRunningVms(hostId: string): Promise<number> {
    const hostid = validateId(hostId, 'hostId', 'listVirtualMachines');
    const running = { hostid, state: 'Running' };
    const [users, routers, system] = await Promise.all([
      this.list('listVirtualMachines', 'virtualmachine', { ...running, listall: 'true' }),
      this.list('listRouters', 'router', { ...running, listall: 'true' }),
      this.list('listSystemVms', 'systemvm', running),
    ]);
    return users.length + routers.length + system.length;
  }

  /** prepareHostForMaintenance (async); resolves once the job finishes. */
  async prepareHostForMaintenance(hostId: string): Promise<KvmHost> {
    return this.hostJob('prepareHostForMaintenance', hostId);
  }

  /** cancelHostMaintenance (async). */
  async cancelHostMaintenance(hostId: string): Promise<KvmHost> {
    return this.hostJob('cancelHostMaintenance', hostId);
  }

  /** reconnectHost: a BaseAsyncCmd in CloudStack (event HOST.RECONNECT), so it is polled. */
  async reconnectHost(hostId: string): Promise<KvmHost> {
    return this.hostJob('reconnectHost', hostId);
  }

  /**
   * addHost for KVM: synchronous but slow (CloudStack SSHes in and installs the agent), hence its
   * own timeout; never resent after a timeout since the host may already be joining.
   */
  async addHost(request: AddKvmHostRequest): Promise<KvmHost> {
    const params = validateAddHost(request);
    const body = await this.requester.request('addHost', params, { idempotent: false, timeoutMs: this.addHostTimeoutMs });
    const hosts = Array.isArray(body.host) ? body.host : [];
    if (hosts.length === 0) throw new CloudStackProtocolError('addHost answered without a host', 'addHost');
    return mapHost(hosts[0], 'addHost');
  }

  private async hostJob(command: string, hostId: string): Promise<KvmHost> {
    const params = { id: validateId(hostId, 'hostId', command) };
    return mapHost(await this.runAsync(command, params, 'host', false), command);
  }

  private async runAsync(command: string, params: ApiParams, objectName: string, idempotent: boolean): Promise<unknown> {
    const submitted = await this.requester.request(command, params, { idempotent });
    if (typeof submitted.jobid !== 'string' || submitted.jobid === '') {
      throw new CloudStackProtocolError(`CloudStack ${command} returned no jobid`, command);
    }
    return this.poller.waitFor(command, params, submitted.jobid, objectName);
  }

  private list(command: string, objectName: string, params: ApiParams): Promise<unknown[]> {
    return fetchAllPages(command, objectName, (page, pageSize) =>
      this.requester.request(command, { ...params, page: String(page), pagesize: String(pageSize) }),
    );
  }
}

function compact(params: Record<string, string | undefined>): ApiParams {
  const out: ApiParams = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = v;
  return out;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
