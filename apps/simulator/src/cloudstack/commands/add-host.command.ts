import { presentHost } from '../presenters/host.presenter';
import { ApiError } from '../protocol/api-error';
import type { CommandDefinition } from './command-definition';
import { checkHostNetwork, networkSetupErrorText } from './host-network.check';
import { finders } from './entity-finders';

const HOST_PART = /^[A-Za-z0-9.-]+$/;

/**
 * addHost (sync, list envelope). Mirrors the KVM path: the host's bridges are checked
 * (CheckNetworkCommand) before it is stored; a failed check leaves nothing added.
 */
export const addHostCommand: CommandDefinition = {
  name: 'addHost',
  async handle(ctx) {
    const zone = ctx.params.requiredEntity('zoneid', finders.zone(ctx));
    const pod = ctx.params.requiredEntity('podid', finders.pod(ctx));
    const url = ctx.params.requiredString('url');
    const hypervisor = ctx.params.requiredString('hypervisor');
    if (hypervisor.toLowerCase() !== 'kvm') {
      throw ApiError.invalidValue(`Hypervisor ${hypervisor} is not supported by this simulator; use KVM`);
    }
    if (pod.zoneId !== zone.id) throw ApiError.invalidValue(`Pod ${pod.name} doesn't belong to the zone ${zone.name}`);
    const clusterById = ctx.params.entity('clusterid', finders.cluster(ctx));
    const clusterName = ctx.params.string('clustername');
    const cluster = clusterById ?? ctx.state.clusters.find((c) => c.podId === pod.id && c.name === clusterName);
    if (!cluster) throw ApiError.invalidValue('clusterid or the name of an existing cluster (clustername) is required for KVM hosts');
    if (cluster.podId !== pod.id) throw ApiError.invalidValue(`Cluster ${cluster.name} doesn't belong to the pod ${pod.name}`);
    const allocation = ctx.params.string('allocationstate');
    if (allocation !== undefined && allocation !== 'Enabled' && allocation !== 'Disabled') {
      throw ApiError.invalidValue(`Unable to resolve Allocation State '${allocation}' to a supported state`);
    }
    const match = /^http:\/\/([^/:?#]+)\/?$/.exec(url);
    if (!match || !HOST_PART.test(match[1]!)) {
      throw ApiError.invalidValue(`Invalid url ${url}: KVM hosts are added as http://<host-ip-or-name>`);
    }
    const address = match[1]!;
    if (ctx.state.hosts.some((h) => h.ipAddress === address)) {
      throw ApiError.internal(`Failed to add host: Skipping host ${address} because it is already in the database`);
    }
    const probe = await checkHostNetwork(ctx, zone.id, { name: address, ipAddress: address });
    if (!probe.ok) throw ApiError.internal(`Failed to add host: ${networkSetupErrorText(probe.missing)}`);
    const host = ctx.state.addHostRecord({
      name: probe.hostname ?? address, ipAddress: address, cluster: cluster.id, state: 'Up',
      resourceState: allocation ?? 'Enabled',
    });
    return { kind: 'list', objectName: 'host', items: [presentHost(host, ctx.state)], count: 1 };
  },
};
