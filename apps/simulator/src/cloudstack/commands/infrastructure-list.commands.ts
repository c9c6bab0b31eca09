import { presentHost } from '../presenters/host.presenter';
import { presentCluster, presentPod, presentZone } from '../presenters/infrastructure.presenter';
import type { CommandDefinition } from './command-definition';
import { finders } from './entity-finders';
import { matchesKeyword, pagedList, sameText } from './list-paging';


const listZones: CommandDefinition = {
  name: 'listZones',
  handle(ctx) {
    const zone = ctx.params.entity('id', finders.zone(ctx));
    const name = ctx.params.string('name');
    const networkType = ctx.params.string('networktype');
    const keyword = ctx.params.string('keyword');
    const zones = ctx.state.zones.filter((z) =>
      (!zone || z.id === zone.id) && sameText(name, z.name) && sameText(networkType, z.networkType) && matchesKeyword(keyword, z.name));
    return pagedList(ctx.params, 'zone', zones, presentZone);
  },
};

const listPods: CommandDefinition = {
  name: 'listPods',
  handle(ctx) {
    const pod = ctx.params.entity('id', finders.pod(ctx));
    const zone = ctx.params.entity('zoneid', finders.zone(ctx));
    const name = ctx.params.string('name');
    const allocation = ctx.params.string('allocationstate');
    const keyword = ctx.params.string('keyword');
    const pods = ctx.state.pods.filter((p) =>
      (!pod || p.id === pod.id) && (!zone || p.zoneId === zone.id) && sameText(name, p.name) &&
      sameText(allocation, p.allocationState) && matchesKeyword(keyword, p.name));
    return pagedList(ctx.params, 'pod', pods, (p) => presentPod(p, ctx.state));
  },
};

const listClusters: CommandDefinition = {
  name: 'listClusters',
  handle(ctx) {
    const cluster = ctx.params.entity('id', finders.cluster(ctx));
    const zone = ctx.params.entity('zoneid', finders.zone(ctx));
    const pod = ctx.params.entity('podid', finders.pod(ctx));
    const name = ctx.params.string('name');
    const hypervisor = ctx.params.string('hypervisor');
    const keyword = ctx.params.string('keyword');
    const clusters = ctx.state.clusters.filter((c) =>
      (!cluster || c.id === cluster.id) && (!zone || c.zoneId === zone.id) && (!pod || c.podId === pod.id) &&
      sameText(name, c.name) && sameText(hypervisor, 'KVM') && matchesKeyword(keyword, c.name));
    return pagedList(ctx.params, 'cluster', clusters, (c) => presentCluster(c, ctx.state));
  },
};

const listHosts: CommandDefinition = {
  name: 'listHosts',
  handle(ctx) {
    const host = ctx.params.entity('id', finders.host(ctx));
    const zone = ctx.params.entity('zoneid', finders.zone(ctx));
    const pod = ctx.params.entity('podid', finders.pod(ctx));
    const cluster = ctx.params.entity('clusterid', finders.cluster(ctx));
    const [name, type, hypervisor, status, resourceState, keyword] =
      ['name', 'type', 'hypervisor', 'state', 'resourcestate', 'keyword'].map((p) => ctx.params.string(p));
    const hosts = ctx.state.hosts.filter((h) =>
      (!host || h.id === host.id) && (!zone || h.zoneId === zone.id) && (!pod || h.podId === pod.id) &&
      (!cluster || h.clusterId === cluster.id) && sameText(name, h.name) && sameText(type, 'Routing') &&
      sameText(hypervisor, 'KVM') && sameText(status, h.state) && sameText(resourceState, h.resourceState) &&
      matchesKeyword(keyword, h.name));
    return pagedList(ctx.params, 'host', hosts, (h) => presentHost(h, ctx.state));
  },
};

/** listZones, listPods, listClusters, listHosts. */
export const infrastructureListCommands: CommandDefinition[] = [listZones, listPods, listClusters, listHosts];
