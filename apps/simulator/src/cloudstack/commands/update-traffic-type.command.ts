import { presentTrafficType } from '../presenters/network.presenter';
import type { CommandDefinition } from './command-definition';
import { finders } from './entity-finders';

/** updateTrafficType (async): changes only the stored KVM label; an empty string clears it. */
export const updateTrafficTypeCommand: CommandDefinition = {
  name: 'updateTrafficType',
  handle(ctx) {
    const traffic = ctx.params.requiredEntity('id', finders.trafficType(ctx));
    const label = ctx.params.string('kvmnetworklabel');
    const jobid = ctx.jobs.submit({
      command: 'updateTrafficType',
      cmdClass: 'org.apache.cloudstack.api.command.admin.usage.UpdateTrafficTypeCmd',
      instanceType: 'TrafficType',
      instanceId: traffic.id,
      complete: () => {
        if (label !== undefined) traffic.kvmNetworkLabel = label === '' ? undefined : label;
        return { ok: true, result: { traffictype: presentTrafficType(traffic) } };
      },
    });
    return { kind: 'fields', fields: { jobid } };
  },
};
