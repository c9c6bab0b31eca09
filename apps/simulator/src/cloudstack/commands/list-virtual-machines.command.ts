import { deterministicUuid } from '../state/deterministic-uuid';
import type { HostRecord } from '../state/simulator-records';
import type { CommandDefinition } from './command-definition';
import { finders } from './entity-finders';
import { pagedList, sameText } from './list-paging';

interface SimulatedVm {
  host: HostRecord;
  index: number;
}

/** UserVmResponse, the fields a host's VM count needs; VMs exist only as each host's running count. */
function presentVm({ host, index }: SimulatedVm): Record<string, unknown> {
  return {
    id: deterministicUuid(`vm:${host.id}:${index}`),
    name: `i-2-${index}-VM`,
    state: 'Running',
    hostid: host.id,
    hostname: host.name,
    zoneid: host.zoneId,
    hypervisor: 'KVM',
  };
}

/** listVirtualMachines hostid/state (listall is accepted): the host's running VMs. */
export const listVirtualMachinesCommand: CommandDefinition = {
  name: 'listVirtualMachines',
  handle(ctx) {
    const host = ctx.params.entity('hostid', finders.host(ctx));
    const state = ctx.params.string('state');
    const vms = (host ? [host] : ctx.state.hosts)
      .flatMap((h) => Array.from({ length: h.runningVms ?? 0 }, (_, index) => ({ host: h, index: index + 1 })))
      .filter(() => sameText(state, 'Running'));
    return pagedList(ctx.params, 'virtualmachine', vms, presentVm);
  },
};
