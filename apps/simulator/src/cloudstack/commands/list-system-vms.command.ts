import { deterministicUuid } from '../state/deterministic-uuid';
import type { HostRecord, SimulatedSystemVm } from '../state/simulator-records';
import type { CommandDefinition } from './command-definition';
import { finders } from './entity-finders';
import { pagedList, sameText } from './list-paging';

interface Placed {
  host: HostRecord;
  vm: SimulatedSystemVm;
}

/** DomainRouterResponse / SystemVmResponse, the fields a host's VM count needs (all simulated ones run). */
function present({ host, vm }: Placed): Record<string, unknown> {
  return {
    id: deterministicUuid(`systemvm:${host.id}:${vm.name}`),
    name: vm.name,
    state: 'Running',
    hostid: host.id,
    hostname: host.name,
    zoneid: host.zoneId,
    ...(vm.type === 'router' ? { role: 'VIRTUAL_ROUTER' } : { systemvmtype: vm.type }),
  };
}

/** The host's (`hostid`, else every host's) system VMs of the kinds `routers` selects, in state `state` (Running only here). */
function listOf(name: string, responseKey: string, routers: boolean): CommandDefinition {
  return {
    name,
    handle(ctx) {
      const host = ctx.params.entity('hostid', finders.host(ctx));
      const state = ctx.params.string('state');
      const placed = (host ? [host] : ctx.state.hosts)
        .flatMap((h) => (h.systemVms ?? []).map((vm) => ({ host: h, vm })))
        .filter((p) => (p.vm.type === 'router') === routers && sameText(state, 'Running'));
      return pagedList(ctx.params, responseKey, placed, present);
    },
  };
}

/** listRouters hostid/state (listall is accepted): virtual routers on the host. */
export const listRoutersCommand = listOf('listRouters', 'router', true);
/** listSystemVms hostid/state: the secondary storage and console proxy VMs on the host. */
export const listSystemVmsCommand = listOf('listSystemVms', 'systemvm', false);
