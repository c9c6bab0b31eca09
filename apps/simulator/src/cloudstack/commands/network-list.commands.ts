import { presentPhysicalNetwork, presentStorageRange, presentTrafficType } from '../presenters/network.presenter';
import type { CommandDefinition } from './command-definition';
import { finders } from './entity-finders';
import { matchesKeyword, pagedList, sameText } from './list-paging';

const listPhysicalNetworks: CommandDefinition = {
  name: 'listPhysicalNetworks',
  handle(ctx) {
    const network = ctx.params.entity('id', finders.physicalNetwork(ctx));
    const zone = ctx.params.entity('zoneid', finders.zone(ctx));
    const name = ctx.params.string('name');
    const keyword = ctx.params.string('keyword');
    const networks = ctx.state.physicalNetworks.filter((n) =>
      (!network || n.id === network.id) && (!zone || n.zoneId === zone.id) && sameText(name, n.name) && matchesKeyword(keyword, n.name));
    return pagedList(ctx.params, 'physicalnetwork', networks, (n) => presentPhysicalNetwork(n, ctx.state));
  },
};

const listTrafficTypes: CommandDefinition = {
  name: 'listTrafficTypes',
  handle(ctx) {
    const network = ctx.params.requiredEntity('physicalnetworkid', finders.physicalNetwork(ctx));
    const keyword = ctx.params.string('keyword');
    const traffic = ctx.state.trafficTypes.filter((t) => t.physicalNetworkId === network.id && matchesKeyword(keyword, t.trafficType));
    return pagedList(ctx.params, 'traffictype', traffic, presentTrafficType);
  },
};

const listStorageNetworkIpRange: CommandDefinition = {
  name: 'listStorageNetworkIpRange',
  handle(ctx) {
    const range = ctx.params.entity('id', finders.storageRange(ctx));
    const zone = ctx.params.entity('zoneid', finders.zone(ctx));
    const pod = ctx.params.entity('podid', finders.pod(ctx));
    const ranges = ctx.state.storageRanges.filter((r) =>
      (!range || r.id === range.id) && (!zone || r.zoneId === zone.id) && (!pod || r.podId === pod.id));
    return pagedList(ctx.params, 'storagenetworkiprange', ranges, presentStorageRange);
  },
};

/** listPhysicalNetworks, listTrafficTypes, listStorageNetworkIpRange. */
export const networkListCommands: CommandDefinition[] = [listPhysicalNetworks, listTrafficTypes, listStorageNetworkIpRange];
